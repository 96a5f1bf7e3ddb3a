// Package schemas holds the JSON Schemas (draft-07) of labelbridge's data contract
// (docs/data-format.md): scheme, catalogue, categories, arrangement, profile and product documents,
// and the policy input (docs/contract.md).
package schemas

import "embed"

// FS holds the schema files, named <type>.schema.json.
//
//go:embed *.schema.json
var FS embed.FS
