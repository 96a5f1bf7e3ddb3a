// Package caveats_test checks that every unconfirmed fact an answer rests on reaches every front
// end: in a copy of the data, one fact of each kind (scheme, level held, granted and targeted,
// arrangement, category, category exclusion, regime step) is marked confirmed: false with a note
// found nowhere else, and each note must show in the JSON of unlock, check, gap and accept, in
// the table, Markdown and HTML output of the CLI, in the API's answer and on the web page, exactly
// where the answer rests on the fact and nowhere else.
package caveats_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/server"
)

var (
	tree   string // the data tree with every probe marked
	cli    string // the labelbridge binary, built from this module
	buildE error  // why the binary could not be built
)

func TestMain(m *testing.M) {
	var err error
	tree, err = probeTree()
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe tree:", err)
		os.Exit(1)
	}
	bin, err := os.MkdirTemp("", "caveat-cli-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cli = filepath.Join(bin, "labelbridge")
	if out, err := exec.Command("go", "build", "-o", cli, "github.com/labelbridge/labelbridge/cmd/labelbridge").CombinedOutput(); err != nil {
		buildE = fmt.Errorf("go build ./cmd/labelbridge: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(tree)
	os.RemoveAll(bin)
	os.Exit(code)
}

const asOf = "2026-07-01"

// codeOf is the message code each probe's caveat must carry.
var codeOf = map[string]string{
	probeScheme: "unconfirmed-scheme", probeLevelHeld: "unconfirmed-level", probeLevelGrant: "unconfirmed-level",
	probeLevelTarget: "unconfirmed-level", probeArrangement: "unconfirmed-arrangement", probeCategory: "unconfirmed-category",
	probeExclusion: "unconfirmed-exclusion", probeRegime: "unconfirmed-regime-step",
}

// everywhere stands for every market entry of the answer.
const everywhere = "*"

// expect says, for one answer, where the probes must show: in (a probe's exact set of entries
// "MARKET scheme" for unlock; for a one-entry answer, just the probe) and out (probes that must
// show nowhere). Probes in neither are not judged (the answer may or may not rest on them).
type expect struct {
	in  map[string][]string
	out []string
}

type query struct {
	cmd   string   // check, gap or accept
	flags []string // its request flags
	field string   // the same as a request field for the API: "market":"GB" etc.
	in    []string // probes that must show
	out   []string // probes that must not
	why   string   // logged: what the answer rests on, where it is not obvious
}

type probeCase struct {
	name     string
	category string   // product category, "" for none
	noModel  bool     // the product names no model (model matching skipped)
	labels   []string // scheme:level
	unlock   expect
	queries  []query
}

var cases = []probeCase{
	{name: "star1", labels: []string{"jc-star:STAR-1"},
		unlock: expect{
			in: map[string][]string{
				probeScheme:      {"KR kr-cic"},
				probeLevelHeld:   {"JP jc-star"},
				probeLevelGrant:  {"GB uk-psti"},
				probeLevelTarget: {"EU eu-cra"},
			},
			out: []string{probeArrangement, probeCategory, probeExclusion, probeRegime},
		},
		queries: []query{
			{cmd: "check", flags: []string{"--market", "JP"}, field: `"market":"JP"`, in: []string{probeLevelHeld}, out: []string{probeScheme, probeLevelGrant, probeLevelTarget, probeArrangement}},
			{cmd: "check", flags: []string{"--market", "GB"}, field: `"market":"GB"`, in: []string{probeLevelGrant}, out: []string{probeScheme, probeLevelTarget, probeArrangement}},
			{cmd: "check", flags: []string{"--market", "KR"}, field: `"market":"KR"`, in: []string{probeScheme}, out: []string{probeLevelHeld, probeLevelGrant, probeLevelTarget}},
			{cmd: "check", flags: []string{"--market", "EU", "--scheme", "eu-cra"}, field: `"market":"EU","scheme":"eu-cra"`, in: []string{probeLevelTarget}, out: []string{probeScheme, probeLevelHeld, probeLevelGrant}},
			{cmd: "check", flags: []string{"--market", "EU", "--scheme", "eu-red"}, field: `"market":"EU","scheme":"eu-red"`, out: allProbes},
			{cmd: "gap", flags: []string{"--target", "kr-cic"}, field: `"target":"kr-cic"`, in: []string{probeScheme}, out: []string{probeLevelHeld, probeLevelGrant, probeLevelTarget, probeArrangement}},
			{cmd: "gap", flags: []string{"--target", "jc-star:STAR-1"}, field: `"target":"jc-star:STAR-1"`, in: []string{probeLevelHeld}, out: []string{probeScheme, probeLevelGrant, probeLevelTarget, probeArrangement}},
			{cmd: "gap", flags: []string{"--target", "uk-psti"}, field: `"target":"uk-psti"`, in: []string{probeLevelGrant}, out: []string{probeScheme, probeLevelTarget, probeArrangement}},
			{cmd: "gap", flags: []string{"--target", "eu-cra"}, field: `"target":"eu-cra"`, in: []string{probeLevelTarget}, out: []string{probeScheme, probeLevelHeld, probeLevelGrant, probeArrangement}},
			{cmd: "gap", flags: []string{"--target", "eu-red"}, field: `"target":"eu-red"`, out: allProbes},
			// sellable-in-gb reads the GB entry; the retailer profile reads GB, JP and SG.
			{cmd: "accept", flags: []string{"--profile", "sellable-in-gb"}, field: `"profile":"sellable-in-gb"`, in: []string{probeLevelGrant}, out: []string{probeScheme, probeLevelHeld, probeLevelTarget, probeArrangement}},
			{cmd: "accept", flags: []string{"--profile", "retailer-uk-and-asia"}, field: `"profile":"retailer-uk-and-asia"`, in: []string{probeLevelGrant, probeLevelHeld}, out: []string{probeScheme, probeLevelTarget, probeArrangement}},
		}},
	{name: "psti", labels: []string{"uk-psti:baseline"},
		unlock: expect{
			in: map[string][]string{
				probeArrangement: {"JP jc-star"}, // simplified through it; SG is simplified through another
				probeLevelHeld:   {"JP jc-star"}, // the level it grants
				probeLevelGrant:  {"GB uk-psti"}, // held now
				probeScheme:      {"KR kr-cic"},
			},
			out: []string{probeCategory, probeExclusion, probeRegime},
		},
		queries: []query{
			{cmd: "check", flags: []string{"--market", "JP"}, field: `"market":"JP"`, in: []string{probeArrangement, probeLevelHeld}, out: []string{probeScheme, probeLevelGrant}},
			{cmd: "check", flags: []string{"--market", "SG"}, field: `"market":"SG"`, out: allProbes},
			{cmd: "gap", flags: []string{"--target", "jc-star"}, field: `"target":"jc-star"`, in: []string{probeArrangement, probeLevelHeld}, out: []string{probeScheme, probeLevelTarget}},
			{cmd: "gap", flags: []string{"--target", "sg-cls"}, field: `"target":"sg-cls"`, out: []string{probeArrangement, probeScheme, probeLevelHeld}},
		}},
	{name: "laptop", category: "laptop", labels: []string{"jc-star:STAR-1"},
		unlock: expect{
			in:  map[string][]string{probeExclusion: {"GB uk-psti"}}, // not AU: au-sds's exclusion is confirmed
			out: []string{probeCategory, probeRegime, probeArrangement},
		},
		queries: []query{
			{cmd: "check", flags: []string{"--market", "GB"}, field: `"market":"GB"`, in: []string{probeExclusion}, out: []string{probeCategory, probeRegime}},
			{cmd: "check", flags: []string{"--market", "AU"}, field: `"market":"AU"`, out: []string{probeExclusion, probeCategory, probeRegime}},
		}},
	{name: "speaker", category: "smart-speaker", labels: []string{"jc-star:STAR-1"},
		unlock: expect{
			in:  map[string][]string{probeCategory: {everywhere}},
			out: []string{probeExclusion, probeRegime, probeArrangement},
		},
		queries: []query{
			{cmd: "check", flags: []string{"--market", "GB"}, field: `"market":"GB"`, in: []string{probeCategory}, out: []string{probeExclusion, probeRegime}},
			{cmd: "gap", flags: []string{"--target", "eu-cra"}, field: `"target":"eu-cra"`, in: []string{probeCategory}, out: []string{probeExclusion, probeRegime},
				why: "no level named: the report is against the level the category's CRA class gives (default for a smart-speaker), so it rests on the category"},
		}},
	{name: "camera", category: "ip-camera", labels: []string{"jc-star:STAR-1"},
		unlock: expect{out: []string{probeCategory, probeExclusion, probeRegime, probeArrangement}},
		queries: []query{
			{cmd: "check", flags: []string{"--market", "GB"}, field: `"market":"GB"`, out: []string{probeCategory, probeExclusion, probeRegime}},
		}},
	{name: "router", category: "router", labels: []string{"sg-cls:L1"},
		unlock: expect{
			in:  map[string][]string{probeRegime: {"SG sg-cls"}},
			out: []string{probeCategory, probeExclusion, probeArrangement},
		},
		queries: []query{
			{cmd: "check", flags: []string{"--market", "SG"}, field: `"market":"SG"`, in: []string{probeRegime}, out: []string{probeCategory, probeExclusion}},
			{cmd: "check", flags: []string{"--market", "GB"}, field: `"market":"GB"`, out: []string{probeRegime, probeCategory, probeExclusion}},
			{cmd: "gap", flags: []string{"--target", "sg-cls"}, field: `"target":"sg-cls"`, in: []string{probeRegime}, out: []string{probeCategory, probeExclusion},
				why: "no level named: the report is against the level the router regime steps mandate (L1), as unlock's SG entry is"},
			{cmd: "gap", flags: []string{"--target", "sg-cls:L1"}, field: `"target":"sg-cls:L1"`, out: []string{probeRegime, probeCategory, probeExclusion},
				why: "the level is named: the report does not rest on the regime that would have chosen it"},
		}},
	{name: "router-no-labels", category: "router", noModel: true,
		unlock: expect{
			in:  map[string][]string{probeRegime: {"SG sg-cls"}},
			out: []string{probeCategory, probeExclusion, probeArrangement},
		}},
}

// document is the case's product document (with the as-of date), as a file and an API body.
func (c probeCase) document(extra string) string {
	var labels []string
	for _, l := range c.labels {
		scheme, level, _ := strings.Cut(l, ":")
		labels = append(labels, fmt.Sprintf(`{"scheme":%q,"level":%q}`, scheme, level))
	}
	var product []string
	if !c.noModel {
		product = append(product, `"model":"PROBE-1"`)
	}
	if c.category != "" {
		product = append(product, fmt.Sprintf(`"category":%q`, c.category))
	}
	doc := fmt.Sprintf(`{"product":{%s},"labels":[%s],"as_of":%q`, strings.Join(product, ","), strings.Join(labels, ","), asOf)
	if extra != "" {
		doc += "," + extra
	}
	return doc + "}"
}

func (c probeCase) file(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), c.name+".json")
	if err := os.WriteFile(path, []byte(c.document("")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs the CLI over the probe tree; exit 0 and 1 (does not hold) are answers.
func run(t *testing.T, args ...string) string {
	t.Helper()
	if buildE != nil {
		t.Fatal(buildE)
	}
	cmd := exec.Command(cli, append([]string{"--data", tree, "--as-of", asOf}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("labelbridge %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

type msg struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type unlockAnswer struct {
	Markets []struct {
		Market  string `json:"market"`
		Scheme  string `json:"scheme"`
		Caveats []msg  `json:"caveats"`
	} `json:"markets"`
}

// entryCaveats maps "MARKET scheme" to the caveat messages of the entry.
type entryCaveats map[string][]msg

func decodeUnlock(t *testing.T, where string, b []byte) entryCaveats {
	t.Helper()
	var u unlockAnswer
	if err := json.Unmarshal(b, &u); err != nil {
		t.Fatalf("%s: not an unlock answer: %v\n%.500s", where, err, b)
	}
	if len(u.Markets) == 0 {
		t.Fatalf("%s: no markets\n%.500s", where, b)
	}
	out := entryCaveats{}
	for _, m := range u.Markets {
		out[m.Market+" "+m.Scheme] = m.Caveats
	}
	return out
}

// judge compares where each probe shows (entries, as found by has) with e.
func (e expect) judge(t *testing.T, where string, entries []string, has func(entry, probe string) bool) {
	t.Helper()
	for _, p := range allProbes {
		var got []string
		for _, k := range entries {
			if has(k, p) {
				got = append(got, k)
			}
		}
		want, judged := e.in[p]
		if slices.Equal(want, []string{everywhere}) {
			want = entries
		}
		if !judged && slices.Contains(e.out, p) {
			want, judged = nil, true
		}
		if !judged {
			continue
		}
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %s caveat shows on %v, want exactly %v", where, p, got, want)
		}
	}
}

// judgeJSON judges an unlock answer's entries and checks each probe caveat's code.
func (e expect) judgeJSON(t *testing.T, where string, ec entryCaveats) {
	t.Helper()
	var entries []string
	for k := range ec {
		entries = append(entries, k)
	}
	sort.Strings(entries)
	e.judge(t, where, entries, func(k, p string) bool {
		for _, c := range ec[k] {
			if strings.Contains(c.Message, p) {
				if c.Code != codeOf[p] {
					t.Errorf("%s: %s: the %s caveat has code %q, want %q", where, k, p, c.Code, codeOf[p])
				}
				return true
			}
		}
		return false
	})
}

// judgeText checks a whole answer (one entry, or a text rendering) for the probes.
func judgeText(t *testing.T, where, text string, in, out []string) {
	t.Helper()
	for _, p := range in {
		if !strings.Contains(text, p) {
			t.Errorf("%s: the %s caveat is missing", where, p)
		}
	}
	for _, p := range out {
		if strings.Contains(text, p) && !slices.Contains(in, p) {
			t.Errorf("%s: shows the %s caveat, which it does not rest on", where, p)
		}
	}
}

// markdownSections splits an unlock Markdown report into its "## MARKET scheme" sections.
func markdownSections(md string) map[string]string {
	out := map[string]string{}
	parts := strings.Split(md, "\n## ")
	for _, s := range parts[1:] {
		head, body, _ := strings.Cut(s, "\n")
		out[strings.TrimSpace(head)] = body
	}
	return out
}

// htmlSections splits an unlock HTML report into its <h2>MARKET scheme</h2> sections.
func htmlSections(doc string) map[string]string {
	out := map[string]string{}
	parts := strings.Split(doc, "<h2>")
	for _, s := range parts[1:] {
		head, body, _ := strings.Cut(s, "</h2>")
		out[strings.TrimSpace(head)] = body
	}
	return out
}

var apiHandler = func() func(t *testing.T) http.Handler {
	var h http.Handler
	return func(t *testing.T) http.Handler {
		t.Helper()
		if h != nil {
			return h
		}
		m, diags, err := model.Load(os.DirFS(tree))
		if err != nil || len(diags.Faults()) > 0 {
			t.Fatalf("probe tree: %v %v", err, diags.Faults())
		}
		e, err := engine.New(m)
		if err != nil {
			t.Fatal(err)
		}
		h = server.New(e, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
		return h
	}
}()

func post(t *testing.T, path, body string) []byte {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	apiHandler(t).ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("POST %s %s: %d %s", path, body, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

func caveatsOf(t *testing.T, where string, b []byte) []msg {
	t.Helper()
	var v struct {
		Caveats *[]msg `json:"caveats"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.Caveats == nil {
		t.Fatalf("%s: no caveats in the answer (%v)\n%.500s", where, err, b)
	}
	return *v.Caveats
}

func caveatText(cs []msg) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.Code + ": " + c.Message + "\n")
	}
	return b.String()
}

// TestUnlock: the JSON of the CLI and of the API and the Markdown and HTML reports (entry by
// entry) carry each probe exactly where the answer rests on it; the table (which lists a caveat
// shared by several entries once) carries every probe the answer rests on and no other.
func TestUnlock(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := c.file(t)
			cliJSON := decodeUnlock(t, "unlock -o json", []byte(run(t, "unlock", "--product", file, "-o", "json")))
			c.unlock.judgeJSON(t, "unlock -o json", cliJSON)

			api := decodeUnlock(t, "POST /v1/unlock", post(t, "/v1/unlock", c.document("")))
			c.unlock.judgeJSON(t, "POST /v1/unlock", api)

			var entries []string
			for k := range cliJSON {
				entries = append(entries, k)
			}
			sort.Strings(entries)

			md := markdownSections(run(t, "unlock", "--product", file, "-o", "markdown"))
			for _, k := range entries {
				if _, ok := md[k]; !ok {
					t.Errorf("unlock -o markdown: no section %q", k)
				}
			}
			c.unlock.judge(t, "unlock -o markdown", entries, func(k, p string) bool { return strings.Contains(md[k], p) })

			html := htmlSections(run(t, "unlock", "--product", file, "-o", "html"))
			for _, k := range entries {
				if _, ok := html[k]; !ok {
					t.Errorf("unlock -o html: no section %q", k)
				}
			}
			c.unlock.judge(t, "unlock -o html", entries, func(k, p string) bool { return strings.Contains(html[k], p) })

			// The table shows every caveat of the answer, and none the answer does not rest on.
			t.Run("table", func(t *testing.T) {
				table := run(t, "unlock", "--product", file)
				var in []string
				for p := range c.unlock.in {
					in = append(in, p)
				}
				judgeText(t, "unlock (table)", table, in, c.unlock.out)
			})
		})
	}
}

// TestQueries: check, gap and accept, in JSON (CLI and API), table and Markdown (and gap in
// HTML), carry the probes their answer rests on and no other.
func TestQueries(t *testing.T) {
	for _, c := range cases {
		for _, q := range c.queries {
			name := c.name + "/" + q.cmd + strings.Join(q.flags, "_")
			t.Run(name, func(t *testing.T) {
				if q.cmd == "accept" {
					t.Log("accept's caveats come from the entries the profile reads (issue 8 item 4)")
				}
				if q.why != "" {
					t.Log(q.why)
				}
				file := c.file(t)
				args := append([]string{q.cmd, "--product", file}, q.flags...)
				judgeText(t, q.cmd+" -o json", caveatText(caveatsOf(t, q.cmd+" -o json", []byte(run(t, append(args, "-o", "json")...)))), q.in, q.out)
				judgeText(t, "POST /v1/"+q.cmd, caveatText(caveatsOf(t, "POST /v1/"+q.cmd, post(t, "/v1/"+q.cmd, c.document(q.field)))), q.in, q.out)
				judgeText(t, q.cmd+" (table)", run(t, args...), q.in, q.out)
				judgeText(t, q.cmd+" -o markdown", run(t, append(args, "-o", "markdown")...), q.in, q.out)
				if q.cmd == "gap" {
					judgeText(t, "gap -o html", run(t, append(args, "-o", "html")...), q.in, q.out)
				}
			})
		}
	}
}
