// Package server is labelbridge's HTTP API and web page over one shared engine. It decodes
// requests, calls the engine and writes the CLI's JSON; it holds no decision logic.
package server

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
	"github.com/labelbridge/labelbridge/render"
)

// MaxBody bounds a request body; larger requests get 413.
const MaxBody = 1 << 20

// ContentSecurityPolicy lets the page load only its own script, style and pictures.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

//go:embed static
var static embed.FS

//go:embed openapi.json
var openAPI []byte

// Server serves the API over an engine.
type Server struct {
	e     *engine.Engine
	log   *slog.Logger
	today func() string
	memo  *answers
}

// New returns a server over a prepared engine.
func New(e *engine.Engine, log *slog.Logger) *Server {
	return &Server{e: e, log: log,
		today: func() string { return time.Now().UTC().Format(model.DateLayout) }, memo: newAnswers(e)}
}

// Handler returns the routes, wrapped in logging and security headers.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/unlock", s.unlock)
	mux.HandleFunc("POST /v1/check", s.check)
	mux.HandleFunc("POST /v1/gap", s.gap)
	mux.HandleFunc("POST /v1/accept", s.accept)
	mux.HandleFunc("POST /v1/plan", s.plan)
	mux.HandleFunc("GET /v1/schemes", s.schemes)
	mux.HandleFunc("GET /v1/arrangements", s.arrangements)
	mux.HandleFunc("GET /v1/categories", s.categories)
	mux.HandleFunc("GET /v1/graph.svg", s.graph)
	mux.HandleFunc("GET /v1/changes", s.changes)
	mux.HandleFunc("GET /v1/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "data_revision": s.e.Revision()})
	})
	mux.Handle("GET /static/", http.FileServerFS(static))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		b, _ := static.ReadFile("static/index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	})
	for _, route := range []string{"POST /v1/unlock", "POST /v1/check", "POST /v1/gap", "POST /v1/accept", "GET /v1/schemes",
		"GET /v1/arrangements", "GET /v1/categories", "GET /v1/changes", "GET /v1/graph.svg", "GET /v1/openapi.json", "GET /healthz", "POST /v1/plan"} {
		method, path, _ := strings.Cut(route, " ")
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s: use %s", r.Method, path, method))
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			// The page is there, for GET (and HEAD) only.
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s /: use GET", r.Method))
			return
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	return s.logged(s.recovered(secured(mux)))
}

func secured(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if strings.HasPrefix(r.URL.Path, "/v1/") || r.URL.Path == "/healthz" {
			// Answers depend on the request and the day: no cache, shared or private, keeps one.
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// recovered answers a request whose handler panicked with 500 and logs the panic, instead of
// net/http's dropped connection, so a client always gets an answer.
func (s *Server) recovered(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status, bytes int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// logged writes one structured line per request to the logger (stderr).
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"bytes", sw.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// httpError is an error with its status.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// readDocument reads a request body: the product document plus the request fields.
func (s *Server) readDocument(r *http.Request) (*productdoc.Document, engine.Query, error) {
	if r.ContentLength > MaxBody {
		return nil, engine.Query{}, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body of %d bytes is over the %d-byte limit", r.ContentLength, MaxBody)}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, engine.Query{}, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is over the %d-byte limit", MaxBody)}
		}
		return nil, engine.Query{}, &httpError{http.StatusBadRequest, "reading the request body: " + err.Error()}
	}
	// A body is a whole input: it may start with a byte order mark, as a file may.
	d, err := productdoc.DecodeJSON("", productdoc.TrimBOM(body))
	if err != nil {
		return nil, engine.Query{}, &httpError{http.StatusBadRequest, err.Error()}
	}
	q := d.Query("")
	if q.AsOf == "" {
		q.AsOf = s.today()
	}
	return d, q, nil
}

// decided writes a decision, or the error that stopped it: 422 for input the engine refuses.
func (s *Server) decided(w http.ResponseWriter, v any, err error) {
	if err == nil {
		writeJSON(w, http.StatusOK, v)
		return
	}
	var he *httpError
	var ie *engine.InputError
	switch {
	case errors.As(err, &he):
		writeError(w, he.status, he.msg)
	case errors.As(err, &ie):
		// field names the input at fault, so a client (the page) can show the valid values.
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": ie.Error() + s.e.Suggest(ie).Text(), "field": ie.Field})
	case errors.Is(err, context.Canceled):
		// The client left, which cancelled the request's context and stopped the evaluation:
		// nobody reads an answer, and the request line logs status 0 (none sent).
		s.log.Info("decision stopped: the client left", "error", err)
	default:
		s.log.Error("decision failed", "error", err)
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}

func (s *Server) unlock(w http.ResponseWriter, r *http.Request) {
	_, q, err := s.readDocument(r)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	q.Later, q.Gaps = true, true
	u, err := s.memo.unlock(r.Context(), q)
	s.decided(w, u, err)
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	d, q, err := s.readDocument(r)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	c, err := s.e.Check(r.Context(), d.Check(q, productdoc.Fields{}))
	s.decided(w, c, err)
}

func (s *Server) gap(w http.ResponseWriter, r *http.Request) {
	d, q, err := s.readDocument(r)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	if d.Target == "" {
		s.decided(w, nil, &engine.InputError{Field: "target", Msg: "missing: name the target SCHEME[:LEVEL]"})
		return
	}
	if _, _, err := s.e.ParseTarget(d.Target); err != nil {
		s.decided(w, nil, err)
		return
	}
	gq := d.Gap(q, productdoc.Fields{})
	if gq.Conformance, err = d.Statement(s.e.Model()); err != nil {
		s.decided(w, nil, &httpError{http.StatusBadRequest, err.Error()})
		return
	}
	g, err := s.e.Gap(r.Context(), gq)
	s.decided(w, g, err)
}

func (s *Server) accept(w http.ResponseWriter, r *http.Request) {
	d, q, err := s.readDocument(r)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	// The engine compiles a request's expression once, outside any lock, from a bounded cache.
	a, err := s.e.Accept(r.Context(), d.Accept(q, productdoc.Fields{}))
	s.decided(w, a, err)
}

// plan takes the product document as the body and the plan's own fields as query parameters
// (targets=GB,SG,…, by=DATE), so the document is read as strictly as on every other endpoint.
func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	d, q, err := s.readDocument(r)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	pq := engine.PlanQuery{Query: q, By: r.URL.Query().Get("by")}
	if pq.Conformance, err = d.Statement(s.e.Model()); err != nil {
		s.decided(w, nil, &httpError{http.StatusBadRequest, err.Error()})
		return
	}
	for _, t := range strings.Split(r.URL.Query().Get("targets"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			pq.Targets = append(pq.Targets, t)
		}
	}
	p, err := s.e.Plan(r.Context(), pq)
	s.decided(w, p, err)
}

func (s *Server) asOf(r *http.Request) (string, error) {
	v := r.URL.Query().Get("as_of")
	if v == "" {
		return s.today(), nil
	}
	if _, err := model.ParseDate(v); err != nil {
		return "", &engine.InputError{Field: "as_of", Msg: err.Error()}
	}
	return v, nil
}

func (s *Server) schemes(w http.ResponseWriter, r *http.Request) {
	asOf, err := s.asOf(r)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	st, err := s.e.StatusOn(r.Context(), asOf)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	writeJSON(w, http.StatusOK, render.NewSchemesDoc(s.e.Model(), st, s.e.Revision()))
}

func (s *Server) arrangements(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, render.NewArrangementsDoc(s.e.Model(), s.e.Revision()))
}

func (s *Server) graph(w http.ResponseWriter, r *http.Request) {
	asOf, err := s.asOf(r)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	st, err := s.e.StatusOn(r.Context(), asOf)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	render.NewGraph(s.e.Model(), st).SVG(w)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	render.JSON(w, v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// Shutdown stops srv gracefully when ctx ends: in-flight requests finish.
func Shutdown(ctx context.Context, srv *http.Server, grace time.Duration) error {
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
