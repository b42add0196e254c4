package models

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestFeedbackGroups: many AddFeedback calls at once on SQLite are
// committed in groups, and each caller still hears its own outcome: a
// repeated linkback is stored once (created false for the others), an
// insert that fails (no such post) fails alone, and every call answered
// OK is stored under the id it was given. Closing the store commits what
// is queued; calls after it fail without hanging.
func TestFeedbackGroups(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "groups.db")
	s, p := sqliteWithPost(t, path)
	type outcome struct {
		f       *Feedback
		created bool
		err     error
	}
	const n = 200
	out := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			f := &Feedback{PostID: p.ID, Kind: FeedbackTrackBack, Status: ModPending, SourceURL: fmt.Sprintf("https://s%d.example/", i)}
			switch i % 4 {
			case 0: // the same ping, over and over
				f.SourceURL = "https://again.example/"
			case 1: // a post that is not there
				f.PostID = p.ID + 1000
			}
			created, err := s.AddFeedback(ctx, f)
			out[i] = outcome{f, created, err}
		})
	}
	wg.Wait()
	ids := map[int64]bool{}
	var repeated int
	for i, o := range out {
		switch {
		case i%4 == 1:
			if o.err == nil || o.created {
				t.Errorf("%d: to a missing post: created %v, %v", i, o.created, o.err)
			}
		case o.err != nil:
			t.Errorf("%d: %v", i, o.err)
		case i%4 == 0 && o.created:
			repeated++
			fallthrough
		case o.created:
			if o.f.ID == 0 || ids[o.f.ID] {
				t.Errorf("%d: id %d (zero or given twice)", i, o.f.ID)
			}
			ids[o.f.ID] = true
		case i%4 != 0:
			t.Errorf("%d: a new ping reported as stored before", i)
		}
	}
	if repeated != 1 {
		t.Errorf("the repeated ping was created %d times, want 1", repeated)
	}
	items, err := s.Queue(ctx, QueueFilter{Status: ModPending, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(ids) {
		t.Errorf("%d items stored, %d reported created", len(items), len(ids))
	}
	for _, it := range items {
		if !ids[it.ID] {
			t.Errorf("item %d (%s) stored but not reported", it.ID, it.SourceURL)
		}
	}

	// Closing while calls arrive: each is either stored or refused.
	var closing sync.WaitGroup
	late := make([]outcome, 50)
	for i := range late {
		closing.Go(func() {
			f := &Feedback{PostID: p.ID, Kind: FeedbackComment, Status: ModPending, Content: fmt.Sprintf("late %d", i)}
			created, err := s.AddFeedback(ctx, f)
			late[i] = outcome{f, created, err}
		})
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	closing.Wait()
	s, err = OpenSQLite(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	items, err = s.Queue(ctx, QueueFilter{Status: ModPending, Kind: FeedbackComment, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, it := range items {
		stored[it.Content] = true
	}
	for i, o := range late {
		if o.created != (o.err == nil) || o.created != stored[o.f.Content] {
			t.Errorf("late %d: created %v, err %v, stored %v", i, o.created, o.err, stored[o.f.Content])
		}
		if o.err != nil && !strings.Contains(o.err.Error(), "closed") && !errors.Is(o.err, context.Canceled) {
			t.Errorf("late %d: %v", i, o.err)
		}
	}
}

// TestFeedbackGroupsShareACommit: the calls that wait while the writer is
// busy are written together, in one transaction, once it is free.
func TestFeedbackGroupsShareACommit(t *testing.T) {
	ctx := context.Background()
	s, p := sqliteWithPost(t, filepath.Join(t.TempDir(), "share.db"))
	defer s.Close()
	busy, release := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	letGo := func() { releaseOnce.Do(func() { close(release) }) }
	defer letGo() // before Close: a failed test must not hold the writer
	held := make(chan error, 1)
	go func() {
		held <- s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			close(busy)
			<-release // hold the one writer connection
			return nil
		})
	}()
	<-busy
	before, entered := s.groups.written.Load(), s.groups.entered.Load()
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			f := &Feedback{PostID: p.ID, Kind: FeedbackComment, Status: ModPending, Content: fmt.Sprintf("shared %d", i)}
			if created, err := s.AddFeedback(ctx, f); !created || err != nil {
				t.Errorf("%d: created %v, %v", i, created, err)
			}
		})
	}
	// The first group (the first call, and any that came with it) waits
	// for the writer; the others wait in the queue.
	deadline := time.Now().Add(time.Minute)
	for s.groups.entered.Load()-entered < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls reached the queue, want %d", s.groups.entered.Load()-entered, n)
		}
		runtime.Gosched()
	}
	letGo()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if got := s.groups.written.Load() - before; got < 1 || got > 2 {
		t.Errorf("%d calls written in %d groups, want 1 or 2 (the first group, then the rest together)", n, got)
	}
}

// sqliteWithPost opens an SQLite store at path with a user and one
// published post; the caller closes it.
func sqliteWithPost(t *testing.T, path string) (*Store, *Post) {
	t.Helper()
	s, err := OpenSQLite(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := mustUser(t, s)
	now := time.Now()
	p := newPost(u.ID, "Grouped", StatusPublished, &now)
	if err := s.CreatePost(context.Background(), p, nil); err != nil {
		t.Fatal(err)
	}
	return s, p
}
