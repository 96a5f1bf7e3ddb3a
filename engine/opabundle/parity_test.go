package opabundle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/messages"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/opabundle"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

var parityN = flag.Int("parity.n", 1000, "generated products the OPA parity test sends")

// opaServer is one real opa server (built from the module this project depends on) serving the
// bundle on a loopback port, shared by the tests of this package.
type opaServer struct {
	base string
}

// serve builds opa and starts it once for the package's tests; TestMain stops it.
var (
	serve = sync.OnceValues(func() (*opaServer, error) {
		m, err := loadData()
		if err != nil {
			return nil, err
		}
		return start(m)
	})
	serverStop func()
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if serverStop != nil {
		serverStop()
	}
	os.Exit(code)
}

func loadData() (*model.Model, error) {
	m, diags, err := model.Load(labelbridge.Data)
	if err != nil {
		return nil, err
	}
	if f := diags.Faults(); len(f) > 0 {
		return nil, fmt.Errorf("load: %v", f)
	}
	return m, nil
}

func loadModel(t testing.TB) *model.Model {
	t.Helper()
	m, err := loadData()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func startServer(t *testing.T) *opaServer {
	t.Helper()
	if testing.Short() {
		t.Skip("builds opa and starts a server")
	}
	s, err := serve()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func start(m *model.Model) (*opaServer, error) {
	dir, err := os.MkdirTemp("", "opabundle")
	if err != nil {
		return nil, err
	}
	opaBin := filepath.Join(dir, "opa")
	build := exec.Command("go", "build", "-o", opaBin, "github.com/open-policy-agent/opa")
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("go build opa: %v\n%s", err, out)
	}
	bundlePath := filepath.Join(dir, "labelbridge.tar.gz")
	f, err := os.Create(bundlePath)
	if err != nil {
		return nil, err
	}
	if err := opabundle.Write(f, m); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv := exec.Command(opaBin, "run", "--server", "--addr", addr, "--bundle", bundlePath, "--log-level", "error")
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return nil, err
	}
	serverStop = func() { srv.Process.Kill(); srv.Wait(); os.RemoveAll(dir) }
	base := "http://" + addr
	if err := waitHealthy(base + "/health?bundles=true"); err != nil {
		return nil, err
	}
	return &opaServer{base: base}, nil
}

// A request is what an OPA user sends: the product document as written (JSON) plus the request
// fields, to one entrypoint.
type request struct {
	path  string
	input map[string]any
}

// TestParityWithOPAServer sends raw product documents (the generator's, written as JSON, with the
// request fields as_of, market or claim, scheme, strict, target and options) to the real opa
// server serving the bundle, and compares each whole answer with labelbridge's own answer for the
// same document: the engine's typed answer as JSON without the header (schema_version, as_of,
// data_revision), against OPA's answer with every message worded from the catalogue.
func TestParityWithOPAServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds opa and starts a server")
	}
	// Building and starting opa (mostly the linker, on one core) overlaps labelbridge's answers.
	started := make(chan struct{})
	go func() { serve(); close(started) }()
	m := loadModel(t)
	e, err := engine.New(m)
	if err != nil {
		t.Fatal(err)
	}
	g := gen.New(m, 42)
	var jobs []request
	for i := range *parityN {
		jobs = append(jobs, requests(m, g, e.Markets(), i)...)
	}
	wants := make([]any, len(jobs))
	wantErrs := make([]error, len(jobs))
	each(len(jobs), 2, func(k int) { wants[k], wantErrs[k] = labelbridgeAnswer(e, jobs[k]) })
	<-started
	s := startServer(t)

	gots := make([]any, len(jobs))
	gotErrs := make([]error, len(jobs))
	// Four clients keep the server's two cores busy while answers travel.
	each(len(jobs), 4, func(k int) {
		got, err := ask(s.base, jobs[k].path, jobs[k].input)
		gots[k], gotErrs[k] = worded(got), err
	})

	counts := map[string]int{}
	errorsBy := map[string]int{}
	kinds := map[string]bool{}
	failed := 0
	for k, r := range jobs {
		counts[r.path]++
		if em, ok := wants[k].(map[string]any); ok && em["error"] != nil {
			errorsBy[r.path]++
		}
		err := errors.Join(prefix("opa", gotErrs[k]), prefix("labelbridge", wantErrs[k]))
		if err == nil && reflect.DeepEqual(gots[k], wants[k]) {
			continue
		}
		failed++
		// Report the first answer of each kind of difference (entrypoint and place).
		where, _, _ := firstDiff("", gots[k], wants[k])
		kind := r.path + " " + strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return -1
			}
			return c
		}, where)
		if err != nil {
			kind = r.path + " error"
		}
		if !kinds[kind] && len(kinds) < 10 {
			kinds[kind] = true
			t.Error(describe(r, gots[k], wants[k], err))
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d answers differ", failed, len(jobs))
	}
	// Every entrypoint was asked, and the error answers were exercised too.
	for _, ep := range engine.Entrypoints {
		if counts[ep] < *parityN {
			t.Errorf("%s asked %d times, want %d", ep, counts[ep], *parityN)
		}
	}
	for _, ep := range []string{"labelbridge/check/result", "labelbridge/check/verdict", "labelbridge/gap/result"} {
		if errorsBy[ep] == 0 && *parityN >= 100 {
			t.Errorf("%s: no request answered {\"error\"}", ep)
		}
	}
	t.Logf("answers compared: %v (of which errors: %v)", counts, errorsBy)
}

// each runs f(0) … f(n-1) on workers goroutines.
func each(n, workers int, f func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < n; k = int(next.Add(1)) - 1 {
				f(k)
			}
		})
	}
	wg.Wait()
}

func prefix(side string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", side, err)
}

// requests makes the requests for generated product i: unlock and batch always; gap with a
// target (sometimes an unknown or missing one); check and its verdict with the document's claim
// or a market (sometimes the EU without a scheme: an error on both sides). Some products lose
// their model (labels alone, or a product object without one), some carry far dates (years 0001
// and 9999; as_of 3000 with a label issued 3500), some write null for absent fields.
func requests(m *model.Model, g *gen.Generator, markets []string, i int) []request {
	d := g.Product(i)
	raw, err := json.Marshal(d)
	if err != nil {
		panic(err) // a generated document always marshals
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		panic(err)
	}
	doc["as_of"] = g.AsOf(i)
	product, _ := doc["product"].(map[string]any)
	labels, _ := doc["labels"].([]any)
	switch i % 20 {
	case 3: // labels alone: no product at all
		delete(doc, "product")
	case 4: // a product document that names no model
		delete(product, "model")
	case 5, 6: // far dates
		s := m.Schemes[m.SchemeIDs[i%len(m.SchemeIDs)]]
		lv := s.Levels[i%len(s.Levels)].ID
		doc["as_of"] = "3000-01-01"
		product["manufactured"] = "0001-01-01"
		product["placed_on_market"] = "9999-12-31"
		labels = append(labels,
			map[string]any{"scheme": s.ID, "level": lv, "issued": "3500-01-01", "expires": "3502-12-31"},
			map[string]any{"scheme": s.ID, "level": lv, "id": "FAR-1", "issued": "0001-01-01", "expires": "9999-12-31"})
		if i%20 == 6 {
			doc["as_of"] = []string{"0001-01-01", "9999-12-31"}[i/20%2]
		}
	case 7: // null is the same as absent
		for _, k := range []string{"id", "category", "manufactured"} {
			if _, ok := product[k]; !ok {
				product[k] = nil
			}
		}
		for _, l := range labels {
			lm := l.(map[string]any)
			for _, k := range []string{"id", "issued", "expires", "status", "models", "criteria_version"} {
				if _, ok := lm[k]; !ok {
					lm[k] = nil
				}
			}
		}
		doc["claim"] = nil
	}
	if labels == nil {
		doc["labels"] = []any{}
		if i%2 == 0 {
			doc["labels"] = nil
		}
	} else {
		doc["labels"] = labels
	}
	// Options: absent (both on, as labelbridge's API), or each turned on or off (later costs
	// about a fifth of an unlock, gaps half).
	switch i % 4 {
	case 1:
		doc["options"] = map[string]any{"later": true, "gaps": false}
	case 2:
		doc["options"] = map[string]any{"later": false, "gaps": true}
	case 3:
		doc["options"] = map[string]any{"later": false, "gaps": false}
	}
	out := []request{{"labelbridge/unlock/result", doc}, {"labelbridge/batch/result", doc}}

	// gap: a target scheme, or scheme:level; now and then one the data does not know, or none.
	gapIn := maps.Clone(doc)
	s := m.Schemes[m.SchemeIDs[(i/3)%len(m.SchemeIDs)]]
	switch i % 11 {
	case 0:
		gapIn["target"] = s.ID
	case 5:
		gapIn["target"] = "no-such-scheme:L1"
	case 6:
		gapIn["target"] = s.ID + ":NO-SUCH-LEVEL"
	case 7:
		// no target
	default:
		gapIn["target"] = s.ID + ":" + s.Levels[i%len(s.Levels)].ID
	}
	out = append(out, request{"labelbridge/gap/result", gapIn})

	// check: the document's claim, or the request's market (and scheme, strict).
	checkIn := maps.Clone(doc)
	if c, ok := checkIn["claim"].(map[string]any); ok {
		if i%4 == 1 {
			c = maps.Clone(c)
			c["strict"] = true
			checkIn["claim"] = c
		}
	} else {
		mk := markets[i%len(markets)]
		checkIn["market"] = mk
		var schemes []string
		for _, id := range m.SchemeIDs {
			if m.Schemes[id].Market == mk {
				schemes = append(schemes, id)
			}
		}
		switch {
		case i%13 == 0:
			checkIn["market"] = "XX" // a market the data does not know
		case i%13 == 1:
			delete(checkIn, "market") // no market and no claim
		case len(schemes) > 1 && i%2 == 0:
			checkIn["scheme"] = schemes[i%len(schemes)]
		case len(schemes) > 1:
			// several schemes and none named: {"error"}
		case i%17 == 2:
			checkIn["scheme"] = m.SchemeIDs[i%len(m.SchemeIDs)] // maybe not of the market
		}
		if i%3 == 0 {
			checkIn["strict"] = true
		}
	}
	return append(out, request{"labelbridge/check/result", checkIn}, request{"labelbridge/check/verdict", checkIn})
}

// labelbridgeAnswer decides a request as labelbridge does: the document decoded strictly (the
// API's decoder; options are the policy input's, not the document's), one engine call, and the
// typed answer as JSON without its header. A request the policy refuses is an InputError and
// becomes {"error": {code, field, message}}; a refusal of Go's own shape check is a failure
// (generated documents are well formed).
func labelbridgeAnswer(e *engine.Engine, r request) (any, error) {
	body := maps.Clone(r.input)
	options, _ := body["options"].(map[string]any)
	delete(body, "options")
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	d, err := productdoc.DecodeJSON("request", b)
	if err != nil {
		return nil, err
	}
	q := d.Query("")
	q.Later, q.Gaps = option(options, "later"), option(options, "gaps")
	ctx := context.Background()
	var v any
	switch r.path {
	case "labelbridge/unlock/result":
		v, err = e.Unlock(ctx, q)
	case "labelbridge/batch/result":
		var entries []engine.CompactEntry
		entries, err = e.Compact(ctx, q)
		v = map[string]any{"markets": entries}
	case "labelbridge/gap/result":
		v, err = e.Gap(ctx, d.Gap(q, productdoc.Fields{}))
	case "labelbridge/check/result":
		v, err = e.Check(ctx, d.Check(q, productdoc.Fields{}))
	case "labelbridge/check/verdict":
		v, err = e.CheckVerdict(ctx, d.Check(q, productdoc.Fields{}))
	default:
		return nil, fmt.Errorf("no labelbridge call for %s", r.path)
	}
	var ie *engine.InputError
	if errors.As(err, &ie) {
		if ie.Code == "" {
			return nil, fmt.Errorf("refused by the shape check: %v", err)
		}
		return map[string]any{"error": map[string]any{"code": ie.Code, "field": ie.Field, "message": ie.Msg}}, nil
	}
	if err != nil {
		return nil, err
	}
	out, err := plain(v)
	if err != nil {
		return nil, err
	}
	if obj, ok := out.(map[string]any); ok {
		delete(obj, "schema_version")
		delete(obj, "as_of")
		delete(obj, "data_revision")
	}
	return out, nil
}

// option reads an answer option as the policy does: absent or null is true.
func option(options map[string]any, name string) bool {
	b, ok := options[name].(bool)
	return !ok || b
}

func plain(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}

// worded adds to every message of an OPA answer ({code, params}) the sentence the catalogue
// makes of it, as labelbridge does, and writes {"error": {code, params}} as labelbridge's
// request error: its code, the field the params name and the sentence.
func worded(v any) any {
	if obj, ok := v.(map[string]any); ok && len(obj) == 1 {
		if e, ok := obj["error"].(map[string]any); ok {
			code, _ := e["code"].(string)
			params, _ := e["params"].(map[string]any)
			field, _ := params["field"].(string)
			return map[string]any{"error": map[string]any{"code": code, "field": field, "message": messages.Render(code, params)}}
		}
	}
	return addMessages(v)
}

func addMessages(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = addMessages(e)
		}
		code, isCode := x["code"].(string)
		params, isParams := x["params"].(map[string]any)
		if len(x) == 2 && isCode && isParams {
			x["message"] = messages.Render(code, params)
		}
	case []any:
		for i, e := range x {
			x[i] = addMessages(e)
		}
	}
	return v
}

// describe names a differing request and the first place its answers differ.
func describe(r request, got, want any, err error) string {
	in, _ := json.Marshal(r.input)
	if err != nil {
		return fmt.Sprintf("%s on %s: %v", r.path, in, err)
	}
	where, g, w := firstDiff("", got, want)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return fmt.Sprintf("%s on %s\ndiffers at %s:\nopa:         %.600s\nlabelbridge: %.600s", r.path, in, where, gb, wb)
}

func firstDiff(path string, a, b any) (string, any, any) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return path, a, b
		}
		keys := slices.Collect(maps.Keys(x))
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			xv, xok := x[k]
			yv, yok := y[k]
			if xok != yok {
				return path + "." + k, xv, yv
			}
			if !reflect.DeepEqual(xv, yv) {
				return firstDiff(path+"."+k, xv, yv)
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path, a, b
		}
		for i := range x {
			if !reflect.DeepEqual(x[i], y[i]) {
				return firstDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i])
			}
		}
	}
	return path, a, b
}

var client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}

// ask posts {"input": in} to the data API and returns the result.
func ask(base, path string, in any) (any, error) {
	body, err := json.Marshal(map[string]any{"input": in})
	if err != nil {
		return nil, err
	}
	return post(base+"/v1/data/"+path, body)
}

func post(url string, body []byte) (any, error) {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Result *any `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || out.Result == nil {
		return nil, fmt.Errorf("status %d, no result", resp.StatusCode)
	}
	return *out.Result, nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitHealthy(url string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("opa server not healthy at %s", url)
}

// TestBundleContents reads the written bundle back: roots that do not overlap and cover its
// data and packages, every policy module the entrypoints need and no test, the message
// catalogue, and a revision equal to the engine's; each entrypoint decides on the bundle alone.
func TestBundleContents(t *testing.T) {
	m := loadModel(t)
	var buf bytes.Buffer
	if err := opabundle.Write(&buf, m); err != nil {
		t.Fatal(err)
	}
	b, err := bundle.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(m)
	if err != nil {
		t.Fatal(err)
	}
	if b.Manifest.Revision != e.Revision() {
		t.Errorf("revision %q, want the engine's %q", b.Manifest.Revision, e.Revision())
	}
	roots := *b.Manifest.Roots
	if !slices.Equal(roots, opabundle.Roots) || len(roots) != 3 {
		t.Errorf("roots %v, want %v", roots, opabundle.Roots)
	}
	under := func(path string) bool {
		return slices.ContainsFunc(roots, func(r string) bool { return path == r || strings.HasPrefix(path, r+"/") })
	}
	for i, r := range roots {
		for j, o := range roots {
			if i != j && (r == o || strings.HasPrefix(r+"/", o+"/")) {
				t.Errorf("roots %q and %q overlap", r, o)
			}
		}
	}
	for k := range b.Data {
		if !under(k) {
			t.Errorf("data.%s is outside the roots %v", k, roots)
		}
	}
	// The modules are exactly the policy files of policies/ (dates.rego among them), no test.
	entries, err := os.ReadDir(filepath.Join("..", "..", "policies"))
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, en := range entries {
		if strings.HasSuffix(en.Name(), ".rego") && !strings.HasSuffix(en.Name(), "_test.rego") {
			want = append(want, "/policies/"+en.Name())
		}
	}
	mods := map[string]string{}
	for _, mf := range b.Modules {
		got = append(got, mf.Path)
		mods[strings.TrimPrefix(mf.Path, "/policies/")] = string(mf.Raw)
		pkg := strings.TrimPrefix(mf.Parsed.Package.Path.String(), "data.")
		if !under(strings.ReplaceAll(pkg, ".", "/")) {
			t.Errorf("%s: package %s is outside the roots %v", mf.Path, pkg, roots)
		}
		for _, r := range mf.Parsed.Rules {
			if strings.HasPrefix(r.Head.Name.String(), "test_") {
				t.Errorf("%s: test rule %s in the bundle", mf.Path, r.Head.Name)
			}
		}
	}
	slices.Sort(got)
	if !slices.Contains(want, "/policies/dates.rego") || !slices.Equal(got, want) {
		t.Errorf("bundle modules %v, want %v", got, want)
	}
	// The catalogue, as the Go renderer reads it.
	cat, _ := b.Data["messages"].(map[string]any)
	en, _ := cat["en"].(map[string]any)
	gotCat, _ := plain(en)
	wantCat, _ := plain(map[string]any{"messages": messages.English().Messages, "words": messages.English().Words})
	if !reflect.DeepEqual(gotCat, wantCat) || len(messages.English().Messages) < 40 {
		t.Errorf("data.messages.en is not the English catalogue")
	}
	// Each entrypoint decides on the bundle's modules and data alone.
	compiler, err := engine.Compile(mods)
	if err != nil {
		t.Fatal(err)
	}
	store := inmem.NewFromObject(b.Data)
	in := map[string]any{"as_of": "2026-07-01", "labels": []any{map[string]any{"scheme": "jc-star", "level": "STAR-1"}},
		"market": "GB", "target": "sg-cls"}
	for _, ep := range engine.Entrypoints {
		rs, err := rego.New(rego.Query("data."+strings.ReplaceAll(ep, "/", ".")), rego.Compiler(compiler), rego.Store(store),
			rego.Input(in)).Eval(context.Background())
		if err != nil || len(rs) != 1 {
			t.Errorf("%s on the bundle alone: %v, %d results", ep, err, len(rs))
			continue
		}
		want, err := e.EvalRaw(context.Background(), ep, in)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := plain(rs[0].Expressions[0].Value); !reflect.DeepEqual(got, want) {
			t.Errorf("%s on the bundle alone differs from the engine's", ep)
		}
	}
}

// TestServingDocExamples runs the requests of docs/serving-with-opa.md against the real opa
// server: each curl's request file, posted to the entrypoint it names, must give an answer that
// holds every field the page shows, and the page's worded reasons must be the catalogue's.
func TestServingDocExamples(t *testing.T) {
	s := startServer(t)
	text, err := os.ReadFile(filepath.Join("..", "..", "docs", "serving-with-opa.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, examples := docExamples(t, string(text))
	if len(examples) < 2 {
		t.Fatalf("%d curl examples with answers found in the page, want 2 or more", len(examples))
	}
	for _, ex := range examples {
		body, ok := files[ex.file]
		if !ok {
			t.Errorf("curl posts @%s, which the page does not show", ex.file)
			continue
		}
		var doc any
		if err := json.Unmarshal([]byte(ex.answer), &doc); err != nil {
			t.Fatalf("the documented answer of %s is not JSON: %v", ex.path, err)
		}
		got, err := post(s.base+"/v1/data/"+ex.path, []byte(body))
		if err != nil {
			t.Errorf("%s with %s: %v", ex.path, ex.file, err)
			continue
		}
		want := doc.(map[string]any)["result"]
		if where, ok := holds(got, want, "result"); !ok {
			gb, _ := json.Marshal(got)
			t.Errorf("%s with %s: the answer does not hold the documented %s\nanswer: %.800s", ex.path, ex.file, where, gb)
		}
		if ex.worded != "" {
			reasons, _ := got.(map[string]any)["reasons"].([]any)
			var lines []string
			for _, r := range reasons {
				rm := r.(map[string]any)
				params, _ := rm["params"].(map[string]any)
				lines = append(lines, messages.Render(rm["code"].(string), params))
			}
			if strings.Join(lines, "\n") != strings.TrimSpace(ex.worded) {
				t.Errorf("%s: the reasons read\n%s\nnot as the page says\n%s", ex.path, strings.Join(lines, "\n"), ex.worded)
			}
		}
	}
}

type docExample struct {
	path, file, answer, worded string
}

var (
	fenced  = regexp.MustCompile("(?s)(<!-- ([a-z]+)(?:: ([^ ]+))? -->\\s*)?```([a-z]*)\\n(.*?)```")
	curlDoc = regexp.MustCompile(`curl -s localhost:8181/v1/data/(\S+) .*-d @(\S+)`)
)

// docExamples reads the page's code blocks: `<!-- file: NAME -->` before a JSON block names a
// request file; a sh block with a curl command starts an example, `<!-- answer -->` before the
// next JSON block gives its answer and `<!-- worded: reasons -->` the sentences of its reasons.
func docExamples(t *testing.T, text string) (map[string]string, []*docExample) {
	files := map[string]string{}
	var out []*docExample
	var cur *docExample
	for _, m := range fenced.FindAllStringSubmatch(text, -1) {
		marker, arg, lang, body := m[2], m[3], m[4], m[5]
		switch {
		case marker == "file":
			files[arg] = body
		case lang == "sh" && curlDoc.MatchString(body):
			c := curlDoc.FindStringSubmatch(body)
			cur = &docExample{path: c[1], file: c[2]}
		case marker == "answer" && cur != nil:
			cur.answer = body
			out = append(out, cur)
		case marker == "worded" && cur != nil:
			cur.worded = body
		}
	}
	return files, out
}

// holds says whether got holds every field of want (objects: want's keys, recursively; lists:
// the same length, element by element; anything else equal), naming the first that differs.
func holds(got, want any, where string) (string, bool) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return where, false
		}
		for _, k := range slices.Sorted(maps.Keys(w)) {
			if _, ok := g[k]; !ok {
				return where + "." + k, false
			}
			if at, ok := holds(g[k], w[k], where+"."+k); !ok {
				return at, false
			}
		}
		return "", true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return where, false
		}
		for i := range w {
			if at, ok := holds(g[i], w[i], fmt.Sprintf("%s[%d]", where, i)); !ok {
				return at, false
			}
		}
		return "", true
	}
	return where, reflect.DeepEqual(got, want)
}
