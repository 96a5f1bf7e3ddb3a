// Package messages words the codes of answers: every reason, assumption, caveat and change is
// {code, params}, and this package's catalogue (one file per language; English now) makes the
// sentence. The policies decide; this package only fills templates.
package messages

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed en.yaml
var english []byte

// Catalogue is one language's sentences, by code (or code/variant), and its words for enum values.
type Catalogue struct {
	Messages map[string]string `yaml:"messages" json:"messages"`
	Words    map[string]string `yaml:"words" json:"words"`
}

// English returns the English catalogue, parsed once.
var English = sync.OnceValue(func() *Catalogue {
	var c Catalogue
	if err := yaml.Unmarshal(english, &c); err != nil {
		panic(fmt.Sprintf("messages/en.yaml: %v", err)) // embedded at build time: a test parses it
	}
	return &c
})

// Key is the catalogue key of a message: its code, or code/variant.
func Key(code string, params map[string]any) string {
	if v, ok := params["variant"].(string); ok && v != "" {
		return code + "/" + v
	}
	return code
}

// Render makes the sentence of a message; a code the catalogue lacks renders as the code and its
// parameters, so nothing is lost.
func (c *Catalogue) Render(code string, params map[string]any) string {
	tmpl, ok := c.Messages[Key(code, params)]
	if !ok {
		keys := make([]string, 0, len(params))
		for k := range params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := []string{code}
		for _, k := range keys {
			parts = append(parts, k+"="+c.format(params[k]))
		}
		return strings.Join(parts, " ")
	}
	return c.fill(tmpl, params)
}

// Render renders with the English catalogue.
func Render(code string, params map[string]any) string { return English().Render(code, params) }

// fill replaces {name}, {name.key} and {name|word}; a [ ... ] segment is kept only when every
// parameter inside it has a value.
func (c *Catalogue) fill(tmpl string, params map[string]any) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); {
		switch tmpl[i] {
		case '[':
			end := strings.IndexByte(tmpl[i:], ']')
			if end < 0 {
				b.WriteString(tmpl[i:])
				return b.String()
			}
			seg, complete := c.fillPlain(tmpl[i+1:i+end], params)
			if complete {
				b.WriteString(seg)
			}
			i += end + 1
		default:
			next := strings.IndexByte(tmpl[i:], '[')
			if next < 0 {
				next = len(tmpl) - i
			}
			seg, _ := c.fillPlain(tmpl[i:i+next], params)
			b.WriteString(seg)
			i += next
		}
	}
	return b.String()
}

func (c *Catalogue) fillPlain(tmpl string, params map[string]any) (string, bool) {
	var b strings.Builder
	complete := true
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			b.WriteString(tmpl)
			return b.String(), complete
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			b.WriteString(tmpl)
			return b.String(), complete
		}
		b.WriteString(tmpl[:open])
		s := c.lookup(tmpl[open+1:open+end], params)
		if s == "" {
			complete = false
		}
		b.WriteString(s)
		tmpl = tmpl[open+end+1:]
	}
}

func (c *Catalogue) lookup(ref string, params map[string]any) string {
	name, filter, _ := strings.Cut(ref, "|")
	path := strings.Split(name, ".")
	var v any = params
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	s := c.format(v)
	if filter == "word" {
		if w, ok := c.Words[s]; ok {
			return w
		}
	}
	return s
}

// format writes a parameter: strings as they are, numbers in decimal, lists joined by commas, a
// label by its scheme, level and id (or position).
func (c *Catalogue) format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		if x == math.Trunc(x) {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = c.format(e)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		if _, ok := x["scheme"]; ok {
			if _, ok := x["index"]; ok {
				return LabelText(x)
			}
		}
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}

// LabelText names a label parameter: "the SCHEME LEVEL label ID", or "… label #N" without an id.
func LabelText(l map[string]any) string {
	s := fmt.Sprintf("the %v %v label", l["scheme"], l["level"])
	if id, ok := l["id"].(string); ok && id != "" {
		return s + " " + id
	}
	if i, ok := l["index"].(float64); ok {
		return s + " #" + strconv.Itoa(int(i)+1)
	}
	if i, ok := l["index"].(int); ok {
		return s + " #" + strconv.Itoa(i+1)
	}
	return s
}
