package render

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

func init() { Register(jsonRenderer{}) }

// jsonRenderer writes the answer itself, whole: every part of it.
type jsonRenderer struct{}

func (jsonRenderer) Format() string                       { return "json" }
func (jsonRenderer) Shows(k Kind) (Parts, bool)           { return allParts(k), true }
func (jsonRenderer) Render(w io.Writer, answer any) error { return JSON(w, answer) }

// jsonBuffers recycles the compact and the indented encodings of one answer.
var jsonBuffers = sync.Pool{New: func() any { return new([2]bytes.Buffer) }}

// JSON writes v as indented JSON with a trailing newline; HTML characters are not escaped.
// The bytes are those of an encoding/json Encoder with SetIndent("", "  "): v is encoded compact
// and then indented by indentJSON, which is several times faster on the long answers a server
// sends (TestIndentJSONMatchesEncodingJSON holds the two equal).
func JSON(w io.Writer, v any) error {
	bufs := jsonBuffers.Get().(*[2]bytes.Buffer)
	defer jsonBuffers.Put(bufs)
	compact, out := &bufs[0], &bufs[1]
	compact.Reset()
	out.Reset()
	enc := json.NewEncoder(compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	out.Write(indentJSON(out.AvailableBuffer(), compact.Bytes()))
	_, err := w.Write(out.Bytes())
	return err
}

// indentJSON appends src, compact JSON as an Encoder writes it (valid, no space outside
// strings, a newline at the end), indented as json.Indent(dst, src, "", "  ") indents it: each
// member and element on its own line, "": " after a name, empty objects and arrays as {} and [].
func indentJSON(dst, src []byte) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// A string, copied whole: up to the quote that is not escaped.
			j := i + 1
			for j < len(src) {
				k := bytes.IndexAny(src[j:], "\"\\")
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				if src[j] == '\\' {
					j += 2
					continue
				}
				break
			}
			if j >= len(src) {
				return append(dst, src[i:]...)
			}
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			dst = append(dst, c)
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
