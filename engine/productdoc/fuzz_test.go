package productdoc_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// documentSeeds are the project's own product documents, and the crashers are in
// testdata/fuzz/FuzzParse (NUL, invalid UTF-8, a bad date, a second document, trailing data,
// duplicate keys, an array, a BOM).
func documentSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "products", "*.yaml"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"product":{"model":"CAM-1","category":"router"},"labels":[{"scheme":"jc-star","level":"STAR-1","models":["A"]}],"claim":{"market":"GB"}}`))
}

// FuzzParse: any bytes are a document or one error line naming no Go type, with values cut; a
// document parsed is the same document once written as JSON and read back (one request path).
func FuzzParse(f *testing.F) {
	documentSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseWithin(t, data, 5*time.Second)
		if err != nil {
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error on several lines: %q", msg)
			}
			if strings.Contains(msg, "engine.") || strings.Contains(msg, "productdoc.") {
				t.Fatalf("a Go type name: %q", msg)
			}
			if len(msg) > 400+4*model.MaxQuoted {
				t.Fatalf("an error of %d bytes: %.300q", len(msg), msg)
			}
			return
		}
		for i, l := range d.Labels {
			if strings.TrimSpace(l.Scheme) == "" || strings.TrimSpace(l.Level) == "" {
				t.Fatalf("label %d without scheme or level accepted: %+v", i, l)
			}
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		back, err := productdoc.DecodeJSON("", b)
		if err != nil {
			t.Fatalf("the document written as JSON is refused: %v\n%s", err, b)
		}
		// json.Marshal leaves out the empty product and strict false: compare what a query reads.
		if got, want := back.Query(""), d.Query(""); !reflect.DeepEqual(got.Labels, want.Labels) || got.Product != want.Product || got.AsOf != want.AsOf {
			t.Fatalf("JSON round trip:\n%+v\n%+v", want, got)
		}
	})
}

// parseWithin parses data, failing (and so saving the input) when that takes longer than limit:
// bad input must never hang.
func parseWithin(t *testing.T, data []byte, limit time.Duration) (*productdoc.Document, error) {
	type result struct {
		d   *productdoc.Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		d, err := productdoc.Parse("f", data)
		done <- result{d, err}
	}()
	select {
	case r := <-done:
		return r.d, r.err
	case <-time.After(limit):
		t.Fatalf("Parse of %d bytes took over %v: %.200q", len(data), limit, data)
		return nil, nil
	}
}

// FuzzParseLabelFlag: a --label value parses to a label with scheme and level, written back it
// parses the same; or it is one error line repeating at most model.MaxQuoted characters of it.
func FuzzParseLabelFlag(f *testing.F) {
	for _, s := range []string{"jc-star:STAR-1", "jc-star:STAR-1@9999-12-31", "sg-cls:L2@2027-01-01", "jc-star", ":", "a:b@", "a:b@c@d", " x:y ", "\x00:\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := productdoc.ParseLabelFlag(s)
		if err != nil {
			if len(err.Error()) > 200+4*model.MaxQuoted {
				t.Fatalf("an error of %d bytes", len(err.Error()))
			}
			return
		}
		if l.Scheme == "" || l.Level == "" {
			t.Fatalf("%q: %+v", s, l)
		}
		text := l.Scheme + ":" + l.Level
		if l.Expires != "" {
			text += "@" + l.Expires
		}
		again, err := productdoc.ParseLabelFlag(text)
		if err != nil || !reflect.DeepEqual(again, l) {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, l, text, again, err)
		}
	})
}
