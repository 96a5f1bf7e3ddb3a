package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/server"
)

func (a *app) serveCommand() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080]",
		Short: "Serve the HTTP API and the web page (loopback by default)",
		Long: `serve answers POST /v1/unlock, /v1/check, /v1/gap, /v1/accept (the product document plus the
request fields as JSON; the CLI's JSON back, status 200 whatever the decision) and GET /v1/schemes,
/v1/arrangements, /v1/graph.svg, /v1/openapi.json, /healthz, and the web page at /. Bad JSON is
400, unknown scheme, level or category 422, a body over 1 MiB 413. Request logs go to stderr.
SIGTERM or SIGINT stops it gracefully: requests in flight finish (for up to a minute, the write
timeout), exit 0; a shutdown that cannot finish exits 4.`,
		Example: `  labelbridge serve
  labelbridge serve --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("output") {
				return badInput("-o %s: serve has no output format (each request asks for its own)", a.output)
			}
			collectGarbage()
			e, err := a.engine()
			if err != nil {
				return err
			}
			if err := e.Prepare(); err != nil {
				return badInput("%v", err)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return badInput("--addr %s: %v", addr, err)
			}
			log := slog.New(slog.NewJSONHandler(a.stderr, nil))
			srv := &http.Server{
				Handler:           server.New(e, log).Handler(),
				ReadHeaderTimeout: 5 * time.Second,
				ReadTimeout:       15 * time.Second,
				WriteTimeout:      60 * time.Second,
				IdleTimeout:       120 * time.Second,
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
			defer stop()
			done := make(chan error, 1)
			go func() { done <- server.Shutdown(ctx, srv, srv.WriteTimeout) }()
			log.Info("serving", "addr", "http://"+ln.Addr().String(), "data_revision", e.Revision())
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("serve: %w", err)
			}
			if err := <-done; err != nil {
				return fmt.Errorf("shutdown: %w", err)
			}
			log.Info("stopped")
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	return cmd
}

// A server's heap: the collector runs when it has grown to five times what is live (a full
// unlock allocates ~2 MB that die with the request, so collecting at twice the live heap cost
// ~12% of the throughput on new requests, bench/serve.sh), and at the latest near serverHeapLimit,
// so the RSS stays flat with the answer memo full (~210 MiB against ~135 MiB collecting at twice).
const (
	serverGCPercent = 400
	serverHeapLimit = 192 << 20
)

// collectGarbage turns the collector back on for a long-running command: main switches it off for
// short one-shot runs, which would let a server's heap grow to the memory limit.
func collectGarbage() {
	debug.SetGCPercent(serverGCPercent)
	debug.SetMemoryLimit(serverHeapLimit)
}
