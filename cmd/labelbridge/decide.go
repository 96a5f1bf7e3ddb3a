package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
	"github.com/labelbridge/labelbridge/render"
)

// decisionFlags are shared by unlock, check, gap and accept.
type decisionFlags struct {
	labels  []string
	product string
	asOf    string
	explain bool
}

func (f *decisionFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.labels, "label", nil, "a held label `SCHEME:LEVEL[@EXPIRES]` (repeatable), e.g. jc-star:STAR-1")
	cmd.Flags().StringVar(&f.product, "product", "", "a product document `FILE` (YAML or JSON; - for stdin; its category is one of labelbridge categories)")
	cmd.Flags().StringVar(&f.asOf, "as-of", "", "decide at `DATE` (YYYY-MM-DD; default today in UTC)")
	cmd.Flags().BoolVar(&f.explain, "explain", false, "print the derivation: each part of the answer with the policy rule that decides it (with -o json or yaml, the same as data)")
}

func (a *app) addDecisionCommands(root *cobra.Command) {
	root.AddCommand(a.unlockCommand(), a.checkCommand(), a.gapCommand(), a.acceptCommand(), a.batchCommand(), a.bundleCommand(), a.graphCommand(), a.serveCommand())
	root.AddCommand(a.planCommand())
}

// request is a decided-upon product: the engine query plus the document it came from.
type request struct {
	query engine.Query
	doc   *productdoc.Document // never nil: --label flags are a document without a product
	name  string
	raw   []byte // the --product file's bytes
	eng   *engine.Engine
}

// engine loads the model and prepares the policies once per process.
func (a *app) engine() (*engine.Engine, error) {
	a.engineOnce.Do(func() {
		m, err := a.loadModel()
		if err != nil {
			a.engineErr = err
			return
		}
		if a.eng, err = engine.New(m); err != nil {
			a.engineErr = badInput("%v", err)
		}
	})
	return a.eng, a.engineErr
}

// decisionInput chooses the renderer of the answer (refusing a format that cannot write it),
// starts compiling the policies that answer needs, prepares the engine and reads the request,
// whose options ask for the parts of the answer the renderer shows: the start every decision
// command shares.
func (a *app) decisionInput(f *decisionFlags, kind render.Kind) (*engine.Engine, *request, *render.Plan, error) {
	plan, err := render.Choose(kind, a.output, f.explain)
	if err != nil {
		return nil, nil, nil, badInput("%v", err)
	}
	// Compile on the other core while the data loads.
	plan.Warm()
	e, err := a.engine()
	if err != nil {
		return nil, nil, nil, err
	}
	req, err := a.readRequest(f)
	if err != nil {
		return nil, nil, nil, err
	}
	plan.Ask(&req.query)
	plan.SetAbout(req.about(e, kind))
	req.eng = e
	return e, req, plan, nil
}

// readRequest reads the document of --product, or of --label flags, and builds its query: the
// --as-of date, else the document's as_of, else today.
func (a *app) readRequest(f *decisionFlags) (*request, error) {
	if f.product != "" && len(f.labels) > 0 {
		return nil, badInput("give --product FILE or --label flags, not both")
	}
	if f.product == "" && len(f.labels) == 0 {
		return nil, badInput("give --label SCHEME:LEVEL (repeatable) or --product FILE")
	}
	if f.asOf != "" {
		if _, err := model.ParseDate(f.asOf); err != nil {
			return nil, badInput("--as-of: %v", err)
		}
	}
	r := &request{}
	if f.product != "" {
		var data []byte
		var err error
		r.name = f.product
		if f.product == "-" {
			r.name = "stdin"
			data, err = io.ReadAll(io.LimitReader(a.stdin, productdoc.MaxSize+1))
		} else {
			data, err = readLimited(f.product)
		}
		if err != nil {
			return nil, badInput("--product %s: %v", f.product, err)
		}
		if r.doc, err = productdoc.Parse(r.name, data); err != nil {
			return nil, badInput("%v", err)
		}
		r.raw = data
	} else {
		var err error
		r.name = "--label"
		if r.doc, err = productdoc.FromLabels(f.labels); err != nil {
			return nil, badInput("%v", err)
		}
	}
	r.query = r.doc.Query(f.asOf)
	if r.query.AsOf == "" {
		r.query.AsOf = today()
	}
	f.asOf = r.query.AsOf
	return r, nil
}

// about is what the exports (xlsx, sarif, junit) write besides the answer: the data's sources,
// the command, the request file and the product.
func (r *request) about(e *engine.Engine, kind render.Kind) render.About {
	a := render.About{Model: e.Model(), Command: string(kind), Product: r.doc.Product.ID}
	if a.Product == "" {
		a.Product = r.doc.Product.Model
	}
	if r.raw != nil && r.name != "stdin" { // a file; stdin has no path to point at
		a.File = r.name
	}
	return a
}

func readLimited(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, productdoc.MaxSize+1))
}

// inputError turns an engine input error into one line naming the input and position: the
// file and line of the field, or the flag that set it.
func (r *request) inputError(err error) error {
	var ie *engine.InputError
	if !errors.As(err, &ie) {
		return err
	}
	if r.eng != nil {
		ie.Msg += suggestionText(ie.Unknown, r.eng.Suggest(ie))
	}
	if r.raw != nil {
		if line := productdoc.Line(r.raw, ie.Field); line > 0 {
			return badInput("%s:%d: %v", r.name, line, ie)
		}
		return badInput("%s: %v", r.name, ie)
	}
	if n := labelIndex(ie.Field); n >= 0 {
		return badInput("--label #%d: %s", n+1, ie.Msg)
	}
	if flag, ok := requestFlags[ie.Field]; ok {
		return badInput("%s: %s", flag, ie.Msg)
	}
	return badInput("%v", ie)
}

// requestFlags are the flags that set the request fields the policies may find fault with.
var requestFlags = map[string]string{"labels": "--label", "market": "--market", "scheme": "--scheme", "target": "--target", "as_of": "--as-of"}

func labelIndex(field string) int {
	var idx int
	if _, err := fmt.Sscanf(field, "labels[%d]", &idx); err == nil {
		return idx
	}
	return -1
}
