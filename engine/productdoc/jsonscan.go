package productdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/labelbridge/labelbridge/engine/model"
)

// The fields a product document may hold, by object. YAML decoding reads them from the struct
// tags; the JSON scanner below checks a document against these lists (exactly, in their case:
// encoding/json alone would match "Product" to product and keep the last of two equal keys).
var (
	topFields     = []string{"product", "labels", "as_of", "market", "scheme", "target", "claim", "expr", "profile", "strict", "conformance"}
	productFields = []string{"model", "id", "manufacturer", "version", "category", "manufactured", "placed_on_market", "substantially_modified"}
	labelFields   = []string{"scheme", "level", "id", "issued", "expires", "status", "model", "models", "version", "criteria_version"}
	claimFields   = []string{"market", "scheme", "strict"}
)

// scanner walks one JSON value that encoding/json has already accepted, checking that every key
// is a field of its object and appears once, and noting where each label starts.
type scanner struct {
	data   []byte
	i      int
	labels []int // offsets of the label objects
}

type scanError struct {
	off int
	msg string
}

func (s *scanner) skipSpace() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// document checks the top-level object; noProduct is true when it has no product (or a null one).
func (s *scanner) document() (noProduct bool, err *scanError) {
	noProduct = true
	err = s.object(topFields, func(key string) *scanError {
		switch key {
		case "product":
			if s.null() {
				return nil
			}
			noProduct = false
			return s.object(productFields, nil)
		case "claim":
			if s.null() {
				return nil
			}
			return s.object(claimFields, nil)
		case "labels":
			return s.labelList()
		}
		s.skipValue()
		return nil
	})
	return noProduct, err
}

func (s *scanner) labelList() *scanError {
	s.skipSpace()
	if s.i >= len(s.data) || s.data[s.i] != '[' {
		s.skipValue()
		return nil
	}
	s.i++
	for {
		s.skipSpace()
		if s.i >= len(s.data) {
			return nil
		}
		switch s.data[s.i] {
		case ']':
			s.i++
			return nil
		case ',':
			s.i++
			continue
		case '{':
			s.labels = append(s.labels, s.i)
			if err := s.object(labelFields, nil); err != nil {
				return err
			}
		default:
			s.skipValue()
		}
	}
}

// labelOffset is where label i starts, or -1.
func (s *scanner) labelOffset(i int) int {
	if i >= 0 && i < len(s.labels) {
		return s.labels[i]
	}
	return -1
}

// null consumes a null value and says so.
func (s *scanner) null() bool {
	s.skipSpace()
	if bytes.HasPrefix(s.data[s.i:], []byte("null")) {
		s.i += 4
		return true
	}
	return false
}

// object checks an object's keys against fields; value reads each value (nil: skip it).
func (s *scanner) object(fields []string, value func(key string) *scanError) *scanError {
	s.skipSpace()
	if s.i >= len(s.data) || s.data[s.i] != '{' {
		s.skipValue()
		return nil
	}
	s.i++
	var seen [16]struct {
		key string
		off int
	}
	n := 0
	for {
		s.skipSpace()
		if s.i >= len(s.data) {
			return nil
		}
		switch s.data[s.i] {
		case '}':
			s.i++
			return nil
		case ',':
			s.i++
			continue
		}
		off := s.i
		raw, escaped, ok := s.key()
		if !ok {
			return nil
		}
		if escaped {
			raw = unescape(raw)
		}
		known := ""
		for _, f := range fields {
			if string(raw) == f {
				known = f
				break
			}
		}
		if known == "" {
			return &scanError{off, fmt.Sprintf("unknown field %s", model.Quote(string(raw)))}
		}
		for _, p := range seen[:n] {
			if p.key == known {
				line, col := position(s.data, p.off)
				return &scanError{off, fmt.Sprintf("duplicate key %q (first at line %d, column %d)", known, line, col)}
			}
		}
		if n < len(seen) {
			seen[n].key, seen[n].off = known, off
			n++
		}
		s.skipSpace()
		if s.i < len(s.data) && s.data[s.i] == ':' {
			s.i++
		}
		if value == nil {
			s.skipValue()
		} else if err := value(known); err != nil {
			return err
		}
	}
}

// key reads a string at s.i: its bytes between the quotes, and whether they hold an escape.
func (s *scanner) key() (raw []byte, escaped, ok bool) {
	start := s.i
	if start >= len(s.data) || s.data[start] != '"' {
		return nil, false, false
	}
	for j := start + 1; j < len(s.data); j++ {
		switch s.data[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			s.i = j + 1
			return s.data[start+1 : j], escaped, true
		}
	}
	s.i = len(s.data)
	return nil, false, false
}

// unescape decodes the escapes of a key ("mod\u0065l" is "model").
func unescape(raw []byte) []byte {
	var k string
	if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &k) != nil {
		return raw
	}
	return []byte(k)
}

// skipValue skips one value at s.i (any JSON value; the input is known to be valid).
func (s *scanner) skipValue() {
	s.skipSpace()
	depth := 0
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch c {
		case '"':
			s.key()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 {
				s.i++
				return
			}
		case ',':
			if depth == 0 {
				return
			}
		case ' ', '\t', '\r', '\n', ':':
		default:
			if depth == 0 {
				// a number, true, false or null
				for s.i < len(s.data) && strings.IndexByte(" \t\r\n,}]", s.data[s.i]) < 0 {
					s.i++
				}
				return
			}
		}
		s.i++
	}
}
