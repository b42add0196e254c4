package models

import (
	"context"
	"maps"
	"testing"
	"time"
)

// TestOutboxDepthAndPools: the queue depth counts queued, working and
// sending notifications (0 for a state with none), never the settled
// ones; the pools are named for their statistics.
func TestOutboxDepthAndPools(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(t)
	s.baseURL = testBase
	depth := func() map[NotificationState]int64 {
		t.Helper()
		d, err := s.OutboxDepth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if got, want := depth(), (map[NotificationState]int64{NotifyQueued: 0, NotifyWorking: 0, NotifySending: 0}); !maps.Equal(got, want) {
		t.Errorf("empty outbox: %v, want %v", got, want)
	}
	u := mustUser(t, s)
	now := clock.Now()
	if err := s.CreatePost(ctx, linkPost(u.ID, "Deep", StatusPublished, &now,
		"https://a.example/1", "https://b.example/2", "https://c.example/3", "https://d.example/4"), nil); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimNotifications(ctx, 2, time.Minute, 0)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim = %d, %v", len(claimed), err)
	}
	if ok, err := s.FinishNotification(ctx, &claimed[0], NotificationResult{State: NotifySent}); !ok || err != nil {
		t.Fatalf("finish = %v, %v", ok, err)
	}
	if got, want := depth(), (map[NotificationState]int64{NotifyQueued: 2, NotifyWorking: 1, NotifySending: 0}); !maps.Equal(got, want) {
		t.Errorf("outbox depth: %v, want %v", got, want)
	}

	pools := s.Pools()
	names := map[string]bool{}
	for name, db := range pools {
		names[name] = db != nil
	}
	want := map[string]bool{"writer": true, "readers": true}
	if s.db.Name() == "postgres" {
		want = map[string]bool{"postgres": true}
	}
	if !maps.Equal(names, want) {
		t.Errorf("pools %v, want %v", names, want)
	}
}
