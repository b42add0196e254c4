package jobs

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

func TestPurger(t *testing.T) {
	store, post, clk := fixture(t)
	ctx := context.Background()
	ids := map[models.ModerationStatus]int64{}
	for i, st := range models.ModerationStatuses {
		f := &models.Feedback{PostID: post.ID, Kind: models.FeedbackComment, Status: st, Content: "c", AuthorName: string(rune('a' + i))}
		if _, err := store.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
		ids[st] = f.ID
	}
	p := &Purger{Feedback: store, Log: slog.New(slog.DiscardHandler), Now: clk.Now}
	p.RunOnce(ctx)
	if counts, _ := store.QueueCounts(ctx, "", 0); counts[models.ModSpam] != 1 || counts[models.ModTrash] != 1 {
		t.Fatalf("fresh spam and trash purged early: %v", counts)
	}
	clk.Advance(31 * 24 * time.Hour)
	p.RunOnce(ctx)
	counts, _ := store.QueueCounts(ctx, "", 0)
	if counts[models.ModSpam] != 0 || counts[models.ModTrash] != 0 || counts[models.ModPending] != 1 || counts[models.ModApproved] != 1 {
		t.Errorf("after 31 days: %v", counts)
	}
}

func TestPublisherPublishesDuePosts(t *testing.T) {
	store, _, clk := fixture(t)
	ctx := context.Background()
	at := clk.Now().Add(time.Hour)
	p := &models.Post{Kind: models.KindPost, AuthorID: 1, Title: "Later", Slug: "later", Status: models.StatusScheduled, PublishedAt: &at}
	if err := store.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	var heard []string
	pub := &Publisher{Posts: store, Log: slog.New(slog.DiscardHandler), Published: func(_ context.Context, p models.Post) { heard = append(heard, p.Slug) }}
	pub.RunOnce(ctx)
	if len(heard) != 0 {
		t.Fatalf("published early: %v", heard)
	}
	clk.Advance(2 * time.Hour)
	pub.RunOnce(ctx)
	if len(heard) != 1 || heard[0] != "later" {
		t.Fatalf("published = %v", heard)
	}
	if _, err := store.PostBySlug(ctx, models.KindPost, "later"); err != nil {
		t.Errorf("not public after its time: %v", err)
	}
}
