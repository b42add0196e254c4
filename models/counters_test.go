package models

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"
)

// checkCounters compares the counters the triggers keep (QueueCounts,
// PostCounts, Months) with counting the rows themselves.
func checkCounters(t *testing.T, s *Store, step string, postIDs []int64) {
	t.Helper()
	ctx := context.Background()
	queue := func(kind FeedbackKind, postID int64) map[ModerationStatus]int {
		q := s.db.Model(&Feedback{}).Select("status, COUNT(*) AS n")
		if kind != "" {
			q = q.Where("kind = ?", kind)
		}
		if postID != 0 {
			q = q.Where("post_id = ?", postID)
		}
		var rows []struct {
			Status ModerationStatus
			N      int
		}
		if err := q.Group("status").Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out := map[ModerationStatus]int{}
		for _, r := range rows {
			out[r.Status] = r.N
		}
		return out
	}
	for _, postID := range append([]int64{0}, postIDs...) {
		for _, kind := range append([]FeedbackKind{""}, FeedbackKinds...) {
			got, err := s.QueueCounts(ctx, kind, postID)
			if want := queue(kind, postID); err != nil || !maps.Equal(got, want) {
				t.Errorf("%s: queue counts (kind %q, post %d) = %v, %v; rows say %v", step, kind, postID, got, err, want)
			}
		}
	}
	var posts []struct {
		Status PostStatus
		N      int
	}
	s.db.Model(&Post{}).Select("status, COUNT(*) AS n").Where("kind = ?", KindPost).Group("status").Scan(&posts)
	want := map[PostStatus]int{}
	for _, r := range posts {
		want[r.Status] = r.N
	}
	if got, err := s.PostCounts(ctx); err != nil || !maps.Equal(got, want) {
		t.Errorf("%s: post counts %v, %v; rows say %v", step, got, err, want)
	}
	var published []Post
	s.db.Where("kind = ? AND status = ?", KindPost, StatusPublished).Find(&published)
	months := map[string]int{}
	for _, p := range published {
		months[p.PublishedAt.UTC().Format("2006-01")]++
	}
	got, err := s.Months(ctx)
	gotMap := map[string]int{}
	for _, m := range got {
		gotMap[fmt.Sprintf("%04d-%02d", m.Year, m.Month)] = m.Count
	}
	if err != nil || !maps.Equal(gotMap, months) {
		t.Errorf("%s: months %v, %v; rows say %v", step, gotMap, err, months)
	}
}

// TestCountersFollowEveryWrite: the counters behind the queue tabs, the
// dashboard and the month archive stay equal to counting the rows through
// every kind of write, including deleting a post with its feedback and
// scheduled publishing.
func TestCountersFollowEveryWrite(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	now := clock.Now()
	oct := now.AddDate(0, -1, 0)
	a := newPost(u.ID, "November post", StatusPublished, &now)
	b := newPost(u.ID, "October post", StatusPublished, &oct)
	d := newPost(u.ID, "A draft", StatusDraft, nil)
	page := newPost(u.ID, "About", StatusPublished, &now)
	page.Kind = KindPage
	for _, p := range []*Post{a, b, d, page} {
		if err := s.CreatePost(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
	}
	ids := []int64{a.ID, b.ID, d.ID}
	checkCounters(t, s, "posts created", ids)

	var items []int64
	for i, kind := range []FeedbackKind{FeedbackComment, FeedbackComment, FeedbackTrackBack, FeedbackPingback, FeedbackWebmention} {
		for _, p := range []*Post{a, b} {
			f := &Feedback{PostID: p.ID, Kind: kind, Status: ModPending, AuthorName: "R", Content: "c",
				SourceURL: fmt.Sprintf("https://s%d.example/", i)}
			if _, err := s.AddFeedback(ctx, f); err != nil {
				t.Fatal(err)
			}
			items = append(items, f.ID)
		}
	}
	// A repeated linkback is not stored, and not counted.
	if created, err := s.AddFeedback(ctx, &Feedback{PostID: a.ID, Kind: FeedbackTrackBack, Status: ModPending,
		SourceURL: "https://s2.example/"}); err != nil || created {
		t.Fatalf("repeated linkback: %v %v", created, err)
	}
	checkCounters(t, s, "feedback added", ids)

	steps := []struct {
		name string
		do   func() error
	}{
		{"approved", func() error { return s.SetFeedbackStatus(ctx, ModApproved, items[:4]...) }},
		{"approved again", func() error { return s.SetFeedbackStatus(ctx, ModApproved, items[:4]...) }},
		{"spam", func() error { return s.SetFeedbackStatus(ctx, ModSpam, items[3:6]...) }},
		{"trash", func() error { return s.SetFeedbackStatus(ctx, ModTrash, items[6]) }},
		{"edited", func() error {
			f := Feedback{ID: items[7], Status: ModApproved, AuthorName: "E", SourceURL: "https://e.example/", Content: "x"}
			return s.UpdateFeedback(ctx, &f)
		}},
		{"deleted", func() error { return s.DeleteFeedback(ctx, items[0], items[5]) }},
		{"purged", func() error { _, err := s.PurgeFeedback(ctx, now.Add(time.Hour)); return err }},
		{"unpublished", func() error { a.Status = StatusDraft; return s.UpdatePost(ctx, a, nil) }},
		{"published again", func() error { a.Status = StatusPublished; return s.UpdatePost(ctx, a, nil) }},
		{"moved to another month", func() error { old := now.AddDate(-1, 0, 0); b.PublishedAt = &old; return s.UpdatePost(ctx, b, nil) }},
		{"scheduled", func() error {
			later := now.Add(time.Hour)
			d.Status, d.PublishedAt = StatusScheduled, &later
			return s.UpdatePost(ctx, d, nil)
		}},
		{"published when due", func() error { clock.t = clock.t.Add(2 * time.Hour); _, err := s.PublishDue(ctx); return err }},
		{"post deleted with its feedback", func() error { return s.DeletePost(ctx, a.ID) }},
		{"page deleted", func() error { return s.DeletePost(ctx, page.ID) }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		checkCounters(t, s, st.name, ids)
	}
	if n, _ := s.QueueCounts(ctx, "", a.ID); len(n) != 0 {
		t.Errorf("a deleted post still has counts %v", n)
	}
}
