package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"

	"github.com/crosstalk/crosstalk/handlers"
)

// newLogger writes text or JSON lines; a line logged while serving a request
// carries that request's request_id.
func newLogger(w io.Writer, json bool) *slog.Logger {
	var h slog.Handler = slog.NewTextHandler(w, nil)
	if json {
		h = slog.NewJSONHandler(w, nil)
	}
	return slog.New(handlers.LogHandler(h))
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogJSON)
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return errors.Join(err, a.store.Close())
	}
	return a.serve(ctx, ln)
}
