package main

import (
	"context"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// defaultGCPercent is the garbage collector's pace unless GOGC says
// otherwise: the heap may grow by half its live size between collections
// (Go's default: by all of it). A small blog's server then stays near its
// live heap, a few MB, at some cost in collections under heavy writes.
const defaultGCPercent = 50

// tuneMemory sets the process's memory behaviour, once, from main.
func tuneMemory(getenv func(string) string) {
	// No heap profile is ever read (there is no pprof endpoint): sampling
	// allocations for one only keeps its tables resident.
	runtime.MemProfileRate = 0
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
}

// idleTrim gives the memory a burst of requests left free back to the
// system once the server is quiet again (no request started for a whole
// interval, none in flight). Go keeps freed heap for reuse and returns it
// only slowly; a blog is idle most of the time, so its resident memory is
// what it holds between bursts. The cost is one collection per burst.
type idleTrim struct {
	next     http.Handler
	inFlight atomic.Int64
	started  atomic.Int64 // requests started since the process began
	// trim returns the memory (debug.FreeOSMemory); tests count calls.
	trim func()
}

func newIdleTrim(next http.Handler) *idleTrim {
	return &idleTrim{next: next, trim: debug.FreeOSMemory}
}

func (t *idleTrim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t.started.Add(1)
	t.inFlight.Add(1)
	defer t.inFlight.Add(-1)
	t.next.ServeHTTP(w, r)
}

// run trims at the first tick after a quiet interval that followed
// requests, until ctx ends.
func (t *idleTrim) run(ctx context.Context, ticks <-chan time.Time) {
	var seen, trimmed int64 // requests started at the last tick, at the last trim
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
		n := t.started.Load()
		if n != seen { // busy since the last tick
			seen = n
			continue
		}
		if n != trimmed && t.inFlight.Load() == 0 {
			t.trim()
			trimmed = n
		}
	}
}
