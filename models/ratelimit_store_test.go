package models

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestRateLimitStoreBuckets(t *testing.T) {
	s, clock := newTestStore(t)
	r, ctx, every := s.RateLimits(), context.Background(), 12*time.Second
	reserve := func(key string) (bool, time.Duration, int) {
		t.Helper()
		ok, wait, inFlight, err := r.Reserve(ctx, key, every, 3, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return ok, wait, inFlight
	}
	for i := 1; i <= 3; i++ {
		if ok, _, inFlight := reserve("k"); !ok || inFlight != i {
			t.Fatalf("reservation %d of a burst of 3: ok=%v in flight %d", i, ok, inFlight)
		}
	}
	ok, wait, inFlight := reserve("k")
	if ok || wait != every || inFlight != 3 {
		t.Fatalf("fourth try: ok=%v wait %s in flight %d; want refused, 12s, 3", ok, wait, inFlight)
	}
	if ok, _, _ := reserve("other"); !ok {
		t.Fatal("another key shares the bucket")
	}
	// One try gives its token back, one keeps it.
	if err := r.Settle(ctx, "k", every, true); err != nil {
		t.Fatal(err)
	}
	if err := r.Settle(ctx, "k", every, false); err != nil {
		t.Fatal(err)
	}
	if ok, _, inFlight := reserve("k"); !ok || inFlight != 2 {
		t.Fatalf("after a refund: ok=%v in flight %d; want a token, 2 in flight", ok, inFlight)
	}
	ok, wait, _ = reserve("k")
	if ok || wait != every {
		t.Fatalf("empty again: ok=%v wait %s", ok, wait)
	}
	clock.t = clock.t.Add(wait)
	if ok, _, _ := reserve("k"); !ok {
		t.Fatal("no token after waiting")
	}
	// A killed instance's tries stop counting after the lease.
	clock.t = clock.t.Add(r.lease + time.Second)
	if _, _, inFlight := reserve("k"); inFlight != 1 {
		t.Fatalf("in flight after the lease ran out: %d; want only this try", inFlight)
	}
	// Keys are not kept in clear.
	var keys []string
	if err := s.db.Raw("SELECT key_hash FROM rate_buckets").Scan(&keys).Error; err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if len(k) != 64 || strings.Trim(k, "0123456789abcdef") != "" {
			t.Fatalf("key stored in clear: %q", k)
		}
	}
	// Full buckets are pruned unless a try is in flight under its lease:
	// "k" is full again but its last try is in flight; "other"'s try's
	// lease ran out.
	clock.t = clock.t.Add(every)
	count := func() int64 {
		t.Helper()
		if err := r.Prune(ctx, clock.Now(), clock.Now()); err != nil {
			t.Fatal(err)
		}
		var rows int64
		if err := s.db.Table("rate_buckets").Count(&rows).Error; err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if n := count(); n != 1 {
		t.Fatalf("%d buckets after pruning; want the one with a try in flight", n)
	}
	if err := r.Settle(ctx, "k", every, false); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d buckets after pruning with nothing in flight; want none", n)
	}
}

func TestRateLimitStoreFailures(t *testing.T) {
	s, clock := newTestStore(t)
	r, ctx := s.RateLimits(), context.Background()
	failed := func(key string, since time.Time) bool {
		t.Helper()
		f, err := r.Failed(ctx, key, since)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	start := clock.Now()
	if failed("admin\x00192.0.2.1", start.Add(-time.Hour)) {
		t.Fatal("failed before any failure")
	}
	if err := r.MarkFailed(ctx, "admin\x00192.0.2.1", start); err != nil {
		t.Fatal(err)
	}
	if err := r.MarkFailed(ctx, "admin\x00192.0.2.1", start.Add(-time.Minute)); err != nil {
		t.Fatal(err) // an older mark from a slower instance does not move it back
	}
	if !failed("admin\x00192.0.2.1", start.Add(-time.Second)) || failed("admin\x00192.0.2.1", start) {
		t.Fatal("the failure is not remembered at its time")
	}
	if failed("admin\x00192.0.2.2", start.Add(-time.Hour)) {
		t.Fatal("another address counts as failed")
	}
	if err := r.Prune(ctx, start, start.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if !failed("admin\x00192.0.2.1", start.Add(-time.Second)) {
		t.Fatal("a recent failure was pruned")
	}
	if err := r.Prune(ctx, start, start); err != nil {
		t.Fatal(err)
	}
	if failed("admin\x00192.0.2.1", start.Add(-time.Hour)) {
		t.Fatal("an old failure survived pruning")
	}
	if err := r.MarkFailed(ctx, "admin\x00192.0.2.1", start); err != nil {
		t.Fatal(err)
	}
	if err := r.ClearFailed(ctx, "admin\x00192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if failed("admin\x00192.0.2.1", start.Add(-time.Hour)) {
		t.Fatal("a cleared failure is remembered")
	}
}
