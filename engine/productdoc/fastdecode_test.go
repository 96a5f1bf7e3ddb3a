package productdoc

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// fastDecodeCases are documents on which a fast decoder could differ from encoding/json: names in
// another case, duplicate names, escapes, nulls where objects, strings or lists are expected,
// invalid UTF-8, numbers and strings swapped, trailing data and whitespace, a document that is
// not an object.
var fastDecodeCases = []string{
	`{"product":{"model":"CAM-1","category":"router"},"labels":[{"scheme":"jc-star","level":"STAR-1","models":["A"]}],"claim":{"market":"GB"}}`,
	`{"Product":{"model":"CAM-1"},"labels":[]}`,
	`{"product":{"MODEL":"CAM-1","Model":"x"}}`,
	`{"product":{"model":"A","model":"B"}}`,
	`{"labels":[{"scheme":"jc-star","level":"STAR-1","level":"STAR-2"}]}`,
	`{"\u0070roduct":{"model":"\u00e9\ud83d\ude00"}}`,
	`{"product":null,"labels":null,"claim":null}`,
	`{"product":{"model":null,"category":null},"labels":[null]}`,
	`{"labels":[{"scheme":"jc-star","level":"STAR-1","models":null,"status":null}]}`,
	"{\"product\":{\"model\":\"\xff\xfe\"}}",
	`{"product":{"model":1}}`,
	`{"labels":[{"scheme":"jc-star","level":"STAR-1","models":"A"}]}`,
	`{"strict":"true"}`,
	`{"strict":true,"market":"GB","scheme":"uk-psti","as_of":"2026-07-01"}`,
	`{"product":{"model":"A"}} `,
	`{"product":{"model":"A"}} {"product":{}}`,
	`{"product":{"model":"A"}} x`,
	`[{"product":{}}]`,
	`null`,
	`"product"`,
	``,
	`   `,
	`{`,
	`{"product":{"model":"A"}`,
	`{"conformance":{"5.1-1":"yes"},"labels":[]}`,
	`{"unknown":1,"product":{"model":"A"}}`,
	`{"product":{"model":"A","extra":{"deep":[1,2,{"x":null}]}}}`,
	`{"claim":{"market":"GB","strict":true,"Market":"JP"}}`,
	`{"labels":[{"scheme":"jc-star","level":"STAR-1","issued":"2025-01-01","expires":"2027-01-01","id":"J-1","model":"M","version":"1.0","criteria_version":"v"}]}`,
}

// With the fast decoder or with encoding/json alone, every document reads alike: refused with
// the same error, or the same document.
func TestFastDecodeAgrees(t *testing.T) {
	docs := fastDecodeCases
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzParse", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			docs = append(docs, fuzzCorpusValue(string(b)))
		}
	}
	for _, doc := range docs {
		compareDecoders(t, []byte(doc))
	}
}

// FuzzFastDecode: on any bytes the fast decoder and encoding/json agree (TestFastDecodeAgrees).
func FuzzFastDecode(f *testing.F) {
	for _, doc := range fastDecodeCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) { compareDecoders(t, data) })
}

func compareDecoders(t *testing.T, data []byte) {
	t.Helper()
	fast, fastErr := decodeJSON("doc", data, true)
	slow, slowErr := decodeJSON("doc", data, false)
	if (fastErr == nil) != (slowErr == nil) {
		t.Fatalf("%q: fast error %v, encoding/json error %v", data, fastErr, slowErr)
	}
	if fastErr != nil {
		if fastErr.Error() != slowErr.Error() {
			t.Fatalf("%q: fast error %q, encoding/json error %q", data, fastErr, slowErr)
		}
		return
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%q:\nfast          %+v\nencoding/json %+v", data, fast, slow)
	}
}

// fuzzCorpusValue reads the []byte value of a "go test fuzz v1" corpus file.
func fuzzCorpusValue(file string) string {
	_, rest, ok := strings.Cut(file, "[]byte(")
	if !ok {
		return file
	}
	rest = strings.TrimSuffix(strings.TrimSpace(rest), ")")
	if s, err := strconv.Unquote(rest); err == nil {
		return s
	}
	return rest
}
