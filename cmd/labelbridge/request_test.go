package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/batch"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
	"github.com/labelbridge/labelbridge/server"
)

// One request path: the same documents sent through the CLI (--product -), the API (POST
// /v1/unlock, /v1/check, /v1/gap) and batch lines (JSONL, and CSV for what CSV can say) give the
// same answers, byte for byte.

// requestDocs are the documents; a document without as_of is decided today by every front end.
var requestDocs = []struct {
	name string
	doc  string
	csv  string // the same document as a CSV row under csvHeader ("" when CSV cannot say it)
}{
	{"labels only", `{"labels":[{"scheme":"jc-star","level":"STAR-1"}],"as_of":"2026-07-01"}`, ""},
	{"no product, today", `{"labels":[{"scheme":"sg-cls","level":"L2"}]}`, `,,,,,sg-cls:L2,,`},
	{"null product", `{"product":null,"labels":[{"scheme":"sg-cls","level":"L2"}],"as_of":"2026-07-01","market":"GB"}`, ""},
	{"product without a model", `{"product":{"id":"SKU-9","category":"ip-camera"},"labels":[{"scheme":"jc-star","level":"STAR-1","models":["OTHER-1"]}],"as_of":"2026-07-01","market":"GB","target":"uk-psti"}`, ""},
	{"product without a model, today", `{"product":{"category":"ip-camera"},"labels":[{"scheme":"jc-star","level":"STAR-1"}]}`, `,,ip-camera,,,jc-star:STAR-1,,`},
	{"model not of the label", `{"product":{"model":"CAM-1"},"labels":[{"scheme":"jc-star","level":"STAR-1","models":["OTHER-1"]}],"as_of":"2026-07-01","market":"JP"}`, ""},
	{"every field", `{"product":{"model":"CAM-200","id":"SKU-1","manufacturer":"Example Co","version":"2.1","category":"ip-camera","manufactured":"2026-01-10","placed_on_market":"2026-02-01"},` +
		`"labels":[{"scheme":"jc-star","level":"STAR-1","id":"JC-1","issued":"2025-06-01","expires":"2027-05-31","status":"active","model":"CAM-200","models":["CAM-200","CAM-200W"],"version":"2.x","criteria_version":"JST-CR-01-01-2024R1"},` +
		`{"scheme":"SG-CLS","level":"l2","id":"SG-1","issued":"2024-01-01","expires":"2026-03-01","status":"revoked"}],` +
		`"as_of":"2026-07-01","market":"EU","scheme":"eu-red","strict":true,"target":"sg-cls:L2"}`, ""},
	{"claim", `{"product":{"model":"CAM-7"},"labels":[{"scheme":"sg-cls","level":"L2"}],"claim":{"market":"GB"},"as_of":"2026-07-01","target":"eu-cra"}`, ""},
	{"claim, today, in CSV", `{"product":{"id":"A","model":"CAM-1","category":"router","manufactured":"2026-01-10"},"labels":[{"scheme":"sg-cls","level":"L2","expires":"2030-01-01"},{"scheme":"jc-star","level":"STAR-1"}],"claim":{"market":"GB"}}`,
		`A,CAM-1,router,2026-01-10,,sg-cls:L2@2030-01-01;jc-star:STAR-1,GB,`},
	{"claim with scheme and strict", `{"product":{"model":"CAM-8","placed_on_market":"2026-01-01"},"labels":[{"scheme":"jc-star","level":"STAR-2"}],"claim":{"market":"EU","scheme":"eu-red","strict":true},"as_of":"2026-07-01"}`, ""},
	{"claim of a market with several schemes", `{"labels":[{"scheme":"jc-star","level":"STAR-1"}],"claim":{"market":"EU"},"as_of":"2026-07-01"}`, ""},
	{"market over the claim", `{"labels":[{"scheme":"sg-cls","level":"L2"}],"market":"GB","claim":{"market":"EU","scheme":"eu-cra"},"as_of":"2026-07-01"}`, ""},
	{"scheme beside the claim", `{"labels":[{"scheme":"jc-star","level":"STAR-1"}],"scheme":"eu-cra","claim":{"market":"EU"},"as_of":"2027-12-11"}`, ""},
}

const csvHeader = "id,model,category,manufactured,placed_on_market,labels,claim_market,claim_scheme"

func TestOneRequestPath(t *testing.T) {
	today := time.Now().UTC().Format(model.DateLayout)
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(m)
	if err != nil {
		t.Fatal(err)
	}
	api := server.New(e, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
	post := func(path, body string) (int, []byte) {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
		return rec.Code, rec.Body.Bytes()
	}
	cli := func(args ...string) func(doc string) (int, []byte, string) {
		return func(doc string) (int, []byte, string) {
			var out, errOut bytes.Buffer
			code := runWithInput(append(args, "--product", "-", "-o", "json"), strings.NewReader(doc), &out, &errOut)
			return code, out.Bytes(), errOut.String()
		}
	}
	// Batch: every document one JSONL line (and the CSV rows), decided with --full.
	runBatch := func(format, in string) []map[string]json.RawMessage {
		r, err := batch.New(e, batch.Config{Input: format, Output: batch.JSONL, AsOf: today, Workers: 2, Full: true})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := r.Run(context.Background(), strings.NewReader(in), &out); err != nil {
			t.Fatal(err)
		}
		var recs []map[string]json.RawMessage
		for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var rec map[string]json.RawMessage
			if err := json.Unmarshal([]byte(l), &rec); err != nil {
				t.Fatalf("batch record %q: %v", l, err)
			}
			recs = append(recs, rec)
		}
		return recs
	}
	var jsonl, csvIn strings.Builder
	csvIn.WriteString(csvHeader + "\n")
	var csvOf []int // the document of each CSV row
	for i, d := range requestDocs {
		jsonl.WriteString(d.doc + "\n")
		if d.csv != "" {
			csvIn.WriteString(d.csv + "\n")
			csvOf = append(csvOf, i)
		}
	}
	lines := runBatch(batch.JSONL, jsonl.String())
	if len(lines) != len(requestDocs) {
		t.Fatalf("batch wrote %d records for %d lines", len(lines), len(requestDocs))
	}
	// reencode writes a member of a batch record as the CLI and the API write a whole answer.
	reencode := func(raw json.RawMessage) []byte {
		var b bytes.Buffer
		if err := render.JSON(&b, raw); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	checks := 0
	for i, d := range requestDocs {
		t.Run(d.name, func(t *testing.T) {
			// unlock
			code, cliOut, stderr := cli("unlock")(d.doc)
			if code != 0 {
				t.Fatalf("CLI unlock: exit %d: %s", code, stderr)
			}
			status, apiOut := post("/v1/unlock", d.doc)
			if status != 200 || !bytes.Equal(cliOut, apiOut) {
				t.Errorf("unlock: the API (%d) and the CLI differ:\nAPI %s\nCLI %s", status, apiOut, cliOut)
			}
			// check: the document's market, scheme and strict, else its claim.
			unlockOut := cliOut
			code, cliOut, stderr = cli("check")(d.doc)
			status, apiOut = post("/v1/check", d.doc)
			// A batch line whose claim cannot be decided is an error record, as check refuses it.
			rec := lines[i]
			var recErr string
			json.Unmarshal(rec["error"], &recErr)
			switch {
			case strings.HasPrefix(recErr, "claim: "):
				if code != 2 || !strings.Contains(stderr, strings.TrimPrefix(recErr, "claim: ")) {
					t.Errorf("batch: %s; the CLI check: exit %d %s", recErr, code, stderr)
				}
			case recErr != "":
				t.Fatalf("batch: %s", recErr)
			default:
				if got := reencode(rec["unlock"]); !bytes.Equal(got, unlockOut) {
					t.Errorf("unlock: batch and the CLI differ:\nbatch %s\nCLI %s", got, unlockOut)
				}
			}
			switch {
			case code == 2:
				if status != 422 {
					t.Errorf("check: the CLI refuses (%s), the API answers %d %s", stderr, status, apiOut)
				}
			case status != 200 || !bytes.Equal(cliOut, apiOut):
				t.Errorf("check: the API (%d) and the CLI (exit %d) differ:\nAPI %s\nCLI %s", status, code, apiOut, cliOut)
			default:
				checks++
				var c struct {
					Holds   bool            `json:"holds"`
					Reasons json.RawMessage `json:"reasons"`
				}
				if err := json.Unmarshal(cliOut, &c); err != nil {
					t.Fatal(err)
				}
				if (code == 0) != c.Holds {
					t.Errorf("check: exit %d, holds %v", code, c.Holds)
				}
				// A batch line with a claim carries the verdict.
				if strings.Contains(d.doc, `"claim"`) {
					if string(rec["holds"]) != map[bool]string{true: "true", false: "false"}[c.Holds] {
						t.Errorf("check: batch holds %s, the CLI %v", rec["holds"], c.Holds)
					}
					if !bytes.Equal(reencode(rec["reasons"]), reencode(c.Reasons)) {
						t.Errorf("check: batch reasons %s, the CLI %s", rec["reasons"], c.Reasons)
					}
				}
			}
			// gap
			if strings.Contains(d.doc, `"target"`) {
				code, cliOut, stderr = cli("gap")(d.doc)
				status, apiOut = post("/v1/gap", d.doc)
				if code != 0 || status != 200 || !bytes.Equal(cliOut, apiOut) {
					t.Errorf("gap: the API (%d) and the CLI (exit %d: %s) differ:\nAPI %s\nCLI %s", status, code, stderr, apiOut, cliOut)
				}
			}
		})
	}
	if checks < 6 {
		t.Errorf("only %d documents were checked by both the CLI and the API", checks)
	}
	// CSV rows: the same records as the JSONL lines of the same documents.
	rows := runBatch(batch.CSV, csvIn.String())
	if len(rows) != len(csvOf) {
		t.Fatalf("CSV batch wrote %d records for %d rows", len(rows), len(csvOf))
	}
	for k, i := range csvOf {
		for _, member := range []string{"error", "product", "unlock", "holds", "reasons"} {
			if !bytes.Equal(rows[k][member], lines[i][member]) {
				t.Errorf("%s: CSV %s %s, JSONL %s", requestDocs[i].name, member, rows[k][member], lines[i][member])
			}
		}
	}
}

// What cannot be read is refused by every front end, naming the position.
func TestOneRequestPathRefuses(t *testing.T) {
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(m)
	if err != nil {
		t.Fatal(err)
	}
	api := server.New(e, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
	for _, tc := range []struct {
		doc, msg string
		col      int
	}{
		{`{"labels":[],"colour":"red"}`, `unknown field "colour"`, 14},
		{`{"Labels":[]}`, `unknown field "Labels"`, 2},
		{`{"product":{"model":"A","model":"B"},"labels":[]}`, `duplicate key "model" (first at line 1, column 13)`, 25},
		{`{"labels":[{"scheme":"jc-star","level":"STAR-1","level":"STAR-2"}]}`, `duplicate key "level"`, 49},
		{`{"labels":[]} {"labels":[]}`, "a second document", 15},
		{`{"labels":[{"scheme":"jc-star"}]}`, "labels[0]: scheme and level are required", 12},
	} {
		var out, errOut bytes.Buffer
		if code := runWithInput([]string{"unlock", "--product", "-"}, strings.NewReader(tc.doc), &out, &errOut); code != 2 ||
			!strings.HasPrefix(errOut.String(), "labelbridge: stdin:1:"+itoa(tc.col)+": "+tc.msg) {
			t.Errorf("CLI %s: exit %d, %s", tc.doc, code, errOut.String())
		}
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/unlock", strings.NewReader(tc.doc)))
		var body struct{ Error string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if want := "line 1, column " + itoa(tc.col) + ": " + tc.msg; rec.Code != 400 || !strings.HasPrefix(body.Error, want) {
			t.Errorf("API %s: %d %s", tc.doc, rec.Code, rec.Body.String())
		}
		r, err := batch.New(e, batch.Config{Input: batch.JSONL, Output: batch.JSONL, AsOf: "2026-07-01", Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		var bout bytes.Buffer
		r.Run(context.Background(), strings.NewReader(tc.doc+"\n"), &bout)
		if want := `{"line":1,"error":"column ` + itoa(tc.col) + ": " + strings.ReplaceAll(tc.msg, `"`, `\"`); !strings.HasPrefix(bout.String(), want) {
			t.Errorf("batch %s: %s, want %s", tc.doc, bout.String(), want)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
