// Package labelbridge embeds the project's data tree: schemes, arrangements and acceptance profiles.
package labelbridge

import "embed"

// Data is the embedded data tree, laid out as a --data DIR is: schemes/, mappings/, policies/profiles/.
//
//go:embed schemes/*.yaml mappings/*.yaml policies/profiles/*.yaml
var Data embed.FS
