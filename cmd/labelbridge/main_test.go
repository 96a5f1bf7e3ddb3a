package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output (review the diff before committing)")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"labelbridge": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// revision matches a data_revision: it changes with every data or policy edit, so golden files
// hold a placeholder for it.
var revision = regexp.MustCompile(`[0-9a-f]{16}\.[0-9a-f]{16}`)

// TestScripts runs the CLI scripts (age style): each testdata/script/*.txtar runs commands and
// checks stdout, stderr and the exit code. `golden NAME` compares stdout with
// testdata/golden/NAME, a reviewed file.
func TestScripts(t *testing.T) {
	goldenDir, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		// $DATA is the project's own data tree (schemes/, mappings/), for commands that read a tree.
		Setup: func(env *testscript.Env) error { env.Setenv("DATA", repo); return nil },
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"golden": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: golden NAME")
				}
				got := revision.ReplaceAllString(ts.ReadFile("stdout"), "<rev>")
				path := filepath.Join(goldenDir, args[0])
				if *update {
					ts.Check(os.WriteFile(path, []byte(got), 0o644))
					return
				}
				want, err := os.ReadFile(path)
				ts.Check(err)
				if got != string(want) {
					ts.Fatalf("stdout differs from testdata/golden/%s:\n%s", args[0], diffLines(string(want), got))
				}
			},
		},
	})
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + "\n- " + wl + "\n+ " + gl + "\n")
		}
	}
	return b.String()
}
