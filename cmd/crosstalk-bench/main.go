// Command crosstalk-bench measures Crosstalk on this machine and prints the
// figures as a table: the release build's size; a 32 KB post page served by
// the blog next to a bare net/http server writing the same bytes from memory;
// TrackBacks received with the limits raised; a mixed-write run of 47 clients
// (comments, TrackBacks, Webmentions, moderation, XML-RPC edits and readers)
// checking that every accepted write is stored; and the server's memory
// (VmRSS, VmHWM) at idle and after each load.
//
// Run it from the repository root (it needs wrk on PATH and a C compiler):
//
//	go run ./cmd/crosstalk-bench          # 10 s page and ping runs, 30 s mixed
//	go run ./cmd/crosstalk-bench -quick   # 2 s runs, as CI does
//
// Everything listens on 127.0.0.1 only; every client loop stops by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// config is what the flags choose.
type config struct {
	pageDur, pingDur, mixedDur time.Duration
	mixedClients               int
	keep                       bool
	version                    string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "crosstalk-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("crosstalk-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "2 s runs (CI): checks the command works, the figures mean little")
	var cfg config
	fs.DurationVar(&cfg.pageDur, "page-duration", 10*time.Second, "wrk duration for each post-page run")
	fs.DurationVar(&cfg.pingDur, "ping-duration", 10*time.Second, "wrk duration for the TrackBack run")
	fs.DurationVar(&cfg.mixedDur, "mixed-duration", 30*time.Second, "duration of the mixed-write run")
	fs.IntVar(&cfg.mixedClients, "mixed-clients", 47, "clients in the mixed-write run")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the work folder (binary, database, server log)")
	fs.StringVar(&cfg.version, "version", "bench", "version stamped into the release build")
	if err := fs.Parse(args); isHelp(err) {
		return nil
	} else if err != nil {
		return err
	}
	if *quick {
		cfg.pageDur, cfg.pingDur, cfg.mixedDur = 2*time.Second, 2*time.Second, 2*time.Second
	}
	if cfg.mixedClients < len(mixedKinds) {
		return fmt.Errorf("-mixed-clients must be at least %d", len(mixedKinds))
	}
	dir, err := os.MkdirTemp("", "crosstalk-bench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintln(stderr, "work folder:", dir)
	} else {
		defer func() {
			if rmErr := os.RemoveAll(dir); rmErr != nil {
				fmt.Fprintln(stderr, "crosstalk-bench:", rmErr)
			}
		}()
	}
	res, err := bench(ctx, cfg, dir, stderr)
	if res != nil {
		res.print(stdout, cfg)
	}
	if err != nil {
		return err
	}
	return res.failures()
}
