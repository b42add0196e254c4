package models

import (
	"context"
	"testing"
)

// TestReleaseVerification: a check cut short by a shutdown gives its claim
// back, so the linkback is listed again at once (on PostgreSQL, listing
// claims it for a few minutes; on SQLite listing claims nothing).
func TestReleaseVerification(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(t)
	u := mustUser(t, s)
	now := clock.Now()
	p := newPost(u.ID, "Released", StatusPublished, &now)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	fb := &Feedback{PostID: p.ID, Kind: FeedbackTrackBack, Status: ModPending, Verification: VerificationPending,
		SourceURL: "https://src.example/post", Title: "t", AuthorName: "s"}
	if _, err := s.AddFeedback(ctx, fb); err != nil {
		t.Fatal(err)
	}
	first, err := s.LinkbacksToVerify(ctx, 10)
	if err != nil || len(first) != 1 {
		t.Fatalf("first listing: %v, %v", first, err)
	}
	if err := s.ReleaseVerification(ctx, fb.ID); err != nil {
		t.Fatal(err)
	}
	again, err := s.LinkbacksToVerify(ctx, 10)
	if err != nil || len(again) != 1 || again[0].ID != fb.ID {
		t.Fatalf("after release: %v, %v; want the linkback listed again", again, err)
	}
}
