package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/server"
)

var testServer = sync.OnceValues(func() (http.Handler, error) {
	m, diags, err := model.Load(labelbridge.Data)
	if err != nil || len(diags.Faults()) > 0 {
		return nil, err
	}
	e, err := engine.New(m)
	if err != nil {
		return nil, err
	}
	if err := e.Prepare(); err != nil {
		return nil, err
	}
	return server.New(e, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler(), nil
})

// marketSchemes counts the schemes with a market in the embedded data: one unlock entry each.
func marketSchemes(t testing.TB) (n int, gbIndex int) {
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, id := range m.SchemeIDs {
		if mk := m.Schemes[id].Market; mk != "" {
			keys = append(keys, mk+"\x00"+id)
		}
	}
	slices.Sort(keys)
	return len(keys), slices.Index(keys, "GB\x00uk-psti")
}

func handler(t testing.TB) http.Handler {
	t.Helper()
	h, err := testServer()
	if err != nil || h == nil {
		t.Fatalf("server: %v", err)
	}
	return h
}

func do(t testing.TB, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	handler(t).ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, rec.Body.String())
	}
	return v
}

const star1 = `{"labels":[{"scheme":"jc-star","level":"STAR-1"}],"as_of":"2026-07-01"`

func TestDecisionEndpoints(t *testing.T) {
	for _, tc := range []struct {
		path, body string
		check      func(t *testing.T, v map[string]any)
	}{
		{"/v1/unlock", star1 + `}`, func(t *testing.T, v map[string]any) {
			markets := v["markets"].([]any)
			n, gbAt := marketSchemes(t)
			if len(markets) != n || v["schema_version"] != engine.SchemaVersion || v["as_of"] != "2026-07-01" || v["data_revision"] == "" {
				t.Errorf("unlock header or markets wrong: %d markets, want %d", len(markets), n)
			}
			gb := markets[gbAt].(map[string]any)
			if gb["market"] != "GB" || gb["outcome"] != "deemed" || gb["gaps"] == nil {
				t.Errorf("GB entry %v", gb)
			}
		}},
		{"/v1/check", star1 + `,"market":"GB"}`, func(t *testing.T, v map[string]any) {
			if v["holds"] != true || v["scheme"] != "uk-psti" {
				t.Errorf("check %v", v)
			}
		}},
		{"/v1/check", star1 + `,"market":"KR"}`, func(t *testing.T, v map[string]any) {
			if v["holds"] != false {
				t.Errorf("a decision that does not hold is still 200: %v", v)
			}
		}},
		{"/v1/check", star1 + `,"claim":{"market":"GB","strict":true}}`, func(t *testing.T, v map[string]any) {
			if v["holds"] != false || v["strict"] != true {
				t.Errorf("a strict claim on assumptions does not hold: %v", v)
			}
		}},
		{"/v1/gap", star1 + `,"target":"sg-cls:L2"}`, func(t *testing.T, v map[string]any) {
			if v["target"].(map[string]any)["level"] != "L2" || v["summary"].(map[string]any)["total"] != 32.0 {
				t.Errorf("gap %v", v["summary"])
			}
		}},
		{"/v1/accept", star1 + `,"profile":"sellable-in-gb"}`, func(t *testing.T, v map[string]any) {
			if v["holds"] != true {
				t.Errorf("accept %v", v)
			}
		}},
		{"/v1/accept", star1 + `,"expr":"markets.exists(m, m.market == \"SG\" && m.outcome == \"simplified\")"}`, func(t *testing.T, v map[string]any) {
			if v["holds"] != true {
				t.Errorf("accept expr %v", v)
			}
		}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			rec := do(t, "POST", tc.path, tc.body)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
			tc.check(t, decode(t, rec))
		})
	}
}

// The API answers with the CLI's JSON: the same engine structs through the same renderer.
func TestUnlockMatchesTheEngine(t *testing.T) {
	m, _, _ := model.Load(labelbridge.Data)
	e, _ := engine.New(m)
	q := engine.Query{AsOf: "2026-07-01", NoModel: true, Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1"}}, Later: true, Gaps: true}
	u, err := e.Unlock(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(u)
	if got := do(t, "POST", "/v1/unlock", star1+`}`).Body.String(); got != want.String() {
		t.Errorf("API and engine differ:\n%.300s\n---\n%.300s", got, want.String())
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{"POST", "/v1/unlock", `{"labels":[`, 400, "malformed JSON"},
		{"POST", "/v1/unlock", `not json`, 400, "malformed JSON"},
		{"POST", "/v1/unlock", `{"labels":[],"colour":"red"}`, 400, `unknown field "colour"`},
		{"POST", "/v1/unlock", `{"labels":[{"scheme":"jc-star","level":"STAR-9"}]}`, 422, `unknown level "STAR-9"`},
		{"POST", "/v1/unlock", `{"labels":[{"scheme":"xx","level":"1"}]}`, 422, `unknown scheme "xx"`},
		{"POST", "/v1/unlock", `{"labels":[{"scheme":"jc-sta","level":"STAR-1"}]}`, 422, `did you mean jc-star?`},
		{"POST", "/v1/check", `{"labels":[{"scheme":"jc-star","level":"STAR-1"}],"market":"UK","as_of":"2026-07-01"}`, 422, `UK is GB: `},
		{"POST", "/v1/unlock", `{"product":{"category":"toaster"},"labels":[]}`, 422, `unknown category "toaster"`},
		{"POST", "/v1/unlock", `{"labels":[],"as_of":"2026-02-30"}`, 422, "not a calendar date"},
		{"POST", "/v1/check", star1 + `}`, 422, "market"},
		{"POST", "/v1/check", star1 + `,"market":"EU"}`, 422, "several schemes"},
		{"POST", "/v1/gap", star1 + `}`, 422, "target"},
		{"POST", "/v1/gap", star1 + `,"target":"sg-cls:L9"}`, 422, `unknown level "L9"`},
		{"POST", "/v1/accept", star1 + `,"profile":"nope"}`, 422, "unknown profile"},
		{"POST", "/v1/accept", star1 + `,"expr":"markets.exists(m, m.markt == 1)"}`, 422, "markt"},
		{"GET", "/v1/schemes?as_of=2026-13-01", "", 422, "not a calendar date"},
		{"GET", "/v1/unlock", "", 405, ""},
		{"GET", "/v1/nothing", "", 404, "no such endpoint"},
	} {
		t.Run(tc.method+" "+tc.path+" "+tc.contains, func(t *testing.T) {
			rec := do(t, tc.method, tc.path, tc.body)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			if tc.contains == "" {
				return
			}
			v := decode(t, rec)
			if msg, _ := v["error"].(string); !strings.Contains(msg, tc.contains) {
				t.Errorf("error %q, want it to contain %q", msg, tc.contains)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	big := `{"labels":[],"product":{"model":"` + strings.Repeat("x", server.MaxBody) + `"}}`
	rec := do(t, "POST", "/v1/unlock", big)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("Content-Length over 1 MiB: status %d", rec.Code)
	}
	// Without a Content-Length (chunked), the byte limit is the backstop.
	req := httptest.NewRequest("POST", "/v1/unlock", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	handler(t).ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "limit") {
		t.Errorf("streamed body over 1 MiB: status %d %s", rec.Code, rec.Body.String())
	}
}

func TestReadEndpointsAndPage(t *testing.T) {
	rec := do(t, "GET", "/v1/schemes?as_of=2026-07-01", "")
	if n, _ := marketSchemes(t); len(decode(t, rec)["schemes"].([]any)) != n+1 { // and the ETSI catalogue
		t.Errorf("schemes: want %d (the market schemes and the catalogue)", n+1)
	}
	rec = do(t, "GET", "/v1/arrangements", "")
	if v := decode(t, rec); len(v["arrangements"].([]any)) != 13 {
		t.Errorf("arrangements: %d", len(v["arrangements"].([]any)))
	}
	rec = do(t, "GET", "/v1/graph.svg?as_of=2025-06-01", "")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(rec.Body.String(), `stroke-dasharray`) {
		t.Errorf("graph: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if v := decode(t, do(t, "GET", "/healthz", "")); v["status"] != "ok" {
		t.Errorf("healthz %v", v)
	}
	rec = do(t, "GET", "/", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `<script src="/static/app.js" defer></script>`) {
		t.Errorf("page: %d", rec.Code)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	for _, asset := range []string{"/static/app.js", "/static/app.css"} {
		if rec := do(t, "GET", asset, ""); rec.Code != 200 || rec.Body.Len() == 0 {
			t.Errorf("%s: %d", asset, rec.Code)
		}
	}
	page := do(t, "GET", "/", "").Body.String()
	for _, bad := range []string{"http://", "https://", "<script>", "style=\"", "onclick"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page must work offline with no inline script or style: found %q", bad)
		}
	}
}

// A model named <script>alert(1)</script> comes back as JSON text; the page sets text, never markup.
func TestScriptInAModelIsText(t *testing.T) {
	rec := do(t, "POST", "/v1/unlock", `{"product":{"model":"<script>alert(1)</script>"},"labels":[{"scheme":"jc-star","level":"STAR-1","models":["<script>alert(1)</script>"]}],"as_of":"2026-07-01"}`)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("status %d, headers %v", rec.Code, rec.Header())
	}
	js := do(t, "GET", "/static/app.js", "").Body.String()
	if strings.Contains(js, "innerHTML") || strings.Contains(js, "insertAdjacentHTML") || strings.Contains(js, "document.write") {
		t.Error("app.js must not write markup from values")
	}
}

// Every path and method the OpenAPI document describes is served, and every served route is described.
func TestOpenAPIMatchesHandlers(t *testing.T) {
	rec := do(t, "GET", "/v1/openapi.json", "")
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("not an OpenAPI 3 document: %v", err)
	}
	var described []string
	for path, ops := range doc.Paths {
		for method := range ops {
			described = append(described, strings.ToUpper(method)+" "+path)
			body := ""
			if method == "post" {
				body = star1 + `,"market":"GB","target":"uk-psti","profile":"sellable-in-gb"}`
			}
			url := path
			if path == "/v1/plan" {
				url += "?targets=GB" // the plan's own fields are query parameters
			}
			if rec := do(t, strings.ToUpper(method), url, body); rec.Code != http.StatusOK {
				t.Errorf("%s %s: status %d", method, path, rec.Code)
			}
		}
	}
	sort.Strings(described)
	served := []string{"GET /", "GET /healthz", "GET /v1/arrangements", "GET /v1/categories", "GET /v1/changes", "GET /v1/graph.svg", "GET /v1/openapi.json", "GET /v1/schemes",
		"POST /v1/accept", "POST /v1/check", "POST /v1/gap", "POST /v1/plan", "POST /v1/unlock"}
	if !slices.Equal(described, served) {
		t.Errorf("described %v, served %v", described, served)
	}
}

// The load test: 2,000 requests from 32 concurrent clients over loopback with zero failures.
// Requests per second and p99 are logged (a measurement, not an assertion).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	srv := httptest.NewServer(handler(t))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}, Timeout: 30 * time.Second}
	bodies := []string{
		star1 + `}`,
		`{"labels":[{"scheme":"kr-cic","level":"Basic"}],"as_of":"2026-07-01"}`,
		`{"product":{"model":"X","category":"router"},"labels":[{"scheme":"sg-cls","level":"L2"}],"as_of":"2027-01-01"}`,
	}
	const total, clients = 2000, 32
	var next, failures atomic.Int64
	lat := make([]time.Duration, total)
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				path := []string{"/v1/unlock", "/v1/check", "/v1/gap"}[i%3]
				body := bodies[i%len(bodies)]
				body = strings.TrimSuffix(body, "}") + `,"market":"GB","target":"uk-psti"}`
				t0 := time.Now()
				resp, err := client.Post(srv.URL+path, "application/json", strings.NewReader(body))
				if err != nil {
					failures.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failures.Add(1)
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	el := time.Since(start)
	if f := failures.Load(); f != 0 {
		t.Fatalf("%d of %d requests failed", f, total)
	}
	slices.Sort(lat)
	t.Logf("load: %d requests, %d clients, %.0f requests/s, p50 %v, p99 %v", total, clients, float64(total)/el.Seconds(), lat[total/2], lat[total*99/100])
}

// Distinct expressions from several clients at once are each compiled once by the engine, outside
// any lock (S1: the server compiled them under one global mutex, then the engine again); a bad
// one is still a 422 naming the expression.
func TestAcceptExpressionsConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for c := range 3 {
		wg.Go(func() {
			for i := range 5 {
				body := fmt.Sprintf(`{"labels":[{"scheme":"jc-star","level":"STAR-1"}],"as_of":"2026-07-01","expr":"markets.size() > %d"}`, c*10+i)
				if rec := do(t, "POST", "/v1/accept", body); rec.Code != 200 {
					t.Errorf("client %d expr %d: %d %s", c, i, rec.Code, rec.Body)
				}
			}
		})
	}
	wg.Wait()
	rec := do(t, "POST", "/v1/accept", `{"labels":[],"as_of":"2026-07-01","expr":"markets.size("}`)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "expr") {
		t.Errorf("bad expression: %d %s", rec.Code, rec.Body)
	}
}

// POST /v1/plan: the product document as the body, targets and by as query parameters; an
// unknown market is 422 naming it.
func TestPlanEndpoint(t *testing.T) {
	body := `{"labels":[{"scheme":"sg-cls","level":"L2"}],"as_of":"2026-03-01"}`
	rec := do(t, "POST", "/v1/plan?targets=SG,GB&by=2026-03-01", body)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	var p struct {
		Targets []string `json:"targets"`
		Plan    struct {
			Steps []struct {
				Kind string `json:"kind"`
			} `json:"steps"`
		} `json:"plan"`
		Unreachable []any `json:"unreachable"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Targets, []string{"SG", "GB"}) || len(p.Plan.Steps) == 0 || len(p.Unreachable) != 0 {
		t.Errorf("plan %s", rec.Body.String())
	}
	for _, s := range p.Plan.Steps {
		if s.Kind != "held" && s.Kind != "deemed" {
			t.Errorf("a CLS L2 label already opens SG and GB: step %s", s.Kind)
		}
	}
	if rec := do(t, "POST", "/v1/plan?targets=XX", body); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "XX") {
		t.Errorf("unknown market: status %d %s", rec.Code, rec.Body.String())
	}
}

// The plan view is served, hooked into the page, and writes no markup from values.
func TestPlanViewServed(t *testing.T) {
	rec := do(t, "GET", "/static/plan.js", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /static/plan.js: %d", rec.Code)
	}
	js := rec.Body.String()
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(js, bad) {
			t.Errorf("plan.js uses %s", bad)
		}
	}
	if !strings.Contains(js, "/v1/plan?") {
		t.Error("plan.js does not ask /v1/plan")
	}
	if page := do(t, "GET", "/", "").Body.String(); !strings.Contains(page, `<script src="/static/plan.js" defer></script>`) {
		t.Error("the page does not load plan.js")
	}
}
