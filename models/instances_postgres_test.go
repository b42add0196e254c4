//go:build postgres

package models

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models/storetest"
)

// twoInstances opens two stores on one fresh PostgreSQL schema, as two
// processes sharing a database would, on one clock.
func twoInstances(t *testing.T) (a, b *Store, clock *testClock) {
	t.Helper()
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Fatal("the postgres build tag needs " + storetest.EnvPostgres + " set to a PostgreSQL URL")
	}
	target := storetest.Target(t)
	clock = &testClock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	open := func() *Store {
		s, err := Open(context.Background(), target, Options{Now: clock.Now, BaseURL: testBase})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	return open(), open(), clock
}

// both runs f on a and b at the same moment and returns what each gave.
func both[T any](a, b *Store, f func(*Store) ([]T, error)) ([]T, error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var all []T
	var errs []error
	start := make(chan struct{})
	for _, s := range []*Store{a, b} {
		wg.Go(func() {
			<-start
			got, err := f(s)
			mu.Lock()
			all, errs = append(all, got...), append(errs, err)
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return all, nil
}

// TestPublishDueOnceAcrossInstances: two instances publishing due posts at
// the same moment publish each once and queue its notification once.
func TestPublishDueOnceAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a, b, clock := twoInstances(t)
	u := mustUser(t, a)
	at := clock.Now().Add(time.Minute)
	const n = 12
	for i := range n {
		p := linkPost(u.ID, fmt.Sprintf("Later %d", i), StatusScheduled, &at, fmt.Sprintf("https://s%d.example/", i))
		if err := a.CreatePost(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
	}
	clock.t = clock.t.Add(time.Hour)
	for round := range 3 {
		due, err := both(a, b, func(s *Store) ([]Post, error) { return s.PublishDue(ctx) })
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{}
		for _, p := range due {
			if seen[p.ID] {
				t.Fatalf("round %d: post %d published twice", round, p.ID)
			}
			seen[p.ID] = true
		}
		if want := map[int]int{0: n}[round]; len(due) != want {
			t.Fatalf("round %d: %d posts went live, want %d", round, len(due), want)
		}
	}
	var queued int64
	if err := a.db.Model(&Notification{}).Count(&queued).Error; err != nil || queued != n {
		t.Fatalf("notifications queued = %d (%v), want %d", queued, err, n)
	}
}

// TestVerificationClaimedOnce: two instances listing linkbacks to verify at
// the same moment get disjoint sets, and a claim held by a dead instance
// is listed again after the lease.
func TestVerificationClaimedOnce(t *testing.T) {
	ctx := context.Background()
	a, b, clock := twoInstances(t)
	u := mustUser(t, a)
	now := clock.Now()
	p := newPost(u.ID, "Pinged", StatusPublished, &now)
	if err := a.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	const n = 10
	for i := range n {
		fb := &Feedback{PostID: p.ID, Kind: FeedbackTrackBack, Status: ModPending, Verification: VerificationPending,
			SourceURL: fmt.Sprintf("https://src%d.example/post", i), Title: "t", AuthorName: "s"}
		if _, err := a.AddFeedback(ctx, fb); err != nil {
			t.Fatal(err)
		}
	}
	got, err := both(a, b, func(s *Store) ([]LinkbackToVerify, error) { return s.LinkbacksToVerify(ctx, n) })
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, l := range got {
		if seen[l.ID] {
			t.Fatalf("linkback %d listed by both instances", l.ID)
		}
		seen[l.ID] = true
	}
	if len(seen) != n {
		t.Fatalf("listed %d linkbacks, want %d", len(seen), n)
	}
	if again, err := b.LinkbacksToVerify(ctx, n); err != nil || len(again) != 0 {
		t.Fatalf("claimed linkbacks listed again before the lease ran out: %d, %v", len(again), err)
	}
	clock.t = clock.t.Add(verifyLease + time.Second)
	if again, err := b.LinkbacksToVerify(ctx, n); err != nil || len(again) != n {
		t.Fatalf("after the lease: %d listed, %v; want %d", len(again), err, n)
	}
}

// TestChangesReachOtherInstances: a change published by one instance
// reaches the other's listener, and not its own.
func TestChangesReachOtherInstances(t *testing.T) {
	a, b, _ := twoInstances(t)
	ctx, cancel := context.WithCancel(context.Background())
	ca, cb := a.Changes(), b.Changes()
	gotA, gotB := make(chan Change, 16), make(chan Change, 16)
	var wg sync.WaitGroup
	listen := func(c *Changes, got chan Change) {
		wg.Go(func() {
			if err := c.Listen(ctx, 10*time.Millisecond, func(ch Change) { got <- ch }, func(err error) { t.Error(err) }); err != nil {
				t.Error(err)
			}
		})
	}
	listen(ca, gotA)
	listen(cb, gotB)
	defer func() { cancel(); wg.Wait() }()
	// The listeners start in their own time: publish until the first note arrives.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	var first Change
wait:
	for {
		if err := ca.Publish(ctx, Change{Kind: ChangePost, PostID: 7}); err != nil {
			t.Fatal(err)
		}
		select {
		case first = <-gotB:
			break wait
		case <-tick.C:
		case <-deadline:
			t.Fatal("b never heard of a's change")
		}
	}
	if first.Kind != ChangePost || first.PostID != 7 {
		t.Fatalf("b heard %+v", first)
	}
	// a's own notes are not given back to it: the first note a hears is b's.
	if err := cb.Publish(ctx, Change{Kind: ChangeAll}); err != nil {
		t.Fatal(err)
	}
	select {
	case ch := <-gotA:
		if ch.Kind != ChangeAll || ch.From == "" {
			t.Fatalf("a heard %+v, want b's ChangeAll", ch)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a never heard of b's change")
	}
}
