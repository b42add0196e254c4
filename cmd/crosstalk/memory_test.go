package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestIdleTrim: memory is given back once after a burst, at the first
// tick after a whole quiet interval, never while a request runs, and not
// again until new requests came.
func TestIdleTrim(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	tr := newIdleTrim(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			entered <- struct{}{}
			<-release
		}
	}))
	var trims atomic.Int64
	trimmed := make(chan struct{}, 10)
	tr.trim = func() { trims.Add(1); trimmed <- struct{}{} }
	ticks := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tr.run(ctx, ticks); close(done) }()
	tick := func() { ticks <- time.Time{} }
	serve := func(path string) { tr.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil)) }

	tick() // nothing served yet: nothing to give back
	serve("/")
	serve("/")
	tick() // busy during this interval
	tick() // quiet for a whole interval: trims
	<-trimmed
	tick()
	tick() // no new request: no second trim

	slowDone := make(chan struct{})
	go func() { serve("/slow"); close(slowDone) }()
	<-entered
	tick()
	tick() // quiet, but a request is in flight
	tick()
	close(release)
	<-slowDone
	tick() // the request ended but started before: a quiet interval, nothing in flight
	<-trimmed
	cancel()
	<-done
	if n := trims.Load(); n != 2 {
		t.Errorf("%d trims, want 2", n)
	}
}
