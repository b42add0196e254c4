package models

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkQueue100k reads the first and a deep page of a moderation queue
// holding 100,000 items, with the tab counts, as the queue page does.
func BenchmarkQueue100k(b *testing.B) {
	s, clock := newTestStore(b)
	ctx := context.Background()
	u := mustUser(b, s)
	now := clock.Now()
	p := newPost(u.ID, "Popular", StatusPublished, &now)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		b.Fatal(err)
	}
	const n = 100000
	rows := make([]Feedback, 0, 1000)
	statuses := []ModerationStatus{ModPending, ModPending, ModSpam, ModApproved}
	for i := 0; i < n; i++ {
		rows = append(rows, Feedback{PostID: p.ID, Kind: FeedbackTrackBack, Status: statuses[i%4],
			SourceURL: fmt.Sprintf("https://s%d.example/", i), Title: "t", Content: "excerpt", CreatedAt: now, UpdatedAt: now})
		if len(rows) == cap(rows) {
			if err := s.db.CreateInBatches(rows, 200).Error; err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	deep, err := s.Queue(ctx, QueueFilter{Status: ModPending, Limit: 50, BeforeID: 1000})
	if err != nil || len(deep) != 50 {
		b.Fatalf("deep page: %d %v", len(deep), err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, before := range []int64{0, 1000} {
			items, err := s.Queue(ctx, QueueFilter{Status: ModPending, Kind: FeedbackTrackBack, Limit: 51, BeforeID: before})
			if err != nil || len(items) != 51 {
				b.Fatalf("queue page: %d %v", len(items), err)
			}
		}
		counts, err := s.QueueCounts(ctx, "", 0)
		if err != nil || counts[ModPending] != n/2 {
			b.Fatalf("counts %v %v", counts, err)
		}
	}
}
