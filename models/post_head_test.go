package models

import (
	"context"
	"errors"
	"testing"
)

// TestPostHeadByID: the linkback endpoints' read of a post has everything
// but the text, the ping lists and the tags, for a post of any status.
func TestPostHeadByID(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	at := clock.Now()
	p := newPost(u.ID, "Head only", StatusPublished, &at)
	p.Excerpt, p.PingURLs, p.SkipLinks = "Short.", "https://a.example/tb", "https://b.example/"
	if err := s.CreatePost(ctx, p, []string{"go"}); err != nil {
		t.Fatal(err)
	}
	full, err := s.PostByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	head, err := s.PostHeadByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := *full
	want.Body, want.BodyHTML, want.PingURLs, want.SkipLinks, want.Tags = "", "", "", "", nil
	if head.ID != want.ID || head.Kind != want.Kind || head.AuthorID != want.AuthorID || head.Title != want.Title ||
		head.Slug != want.Slug || head.Excerpt != want.Excerpt || head.Status != want.Status ||
		head.AllowComments != want.AllowComments || head.AllowPings != want.AllowPings ||
		head.PublishedAt == nil || !head.PublishedAt.Equal(*want.PublishedAt) || !head.CreatedAt.Equal(want.CreatedAt) ||
		!head.UpdatedAt.Equal(want.UpdatedAt) || head.Path() != full.Path() {
		t.Errorf("head %+v\nwant %+v", *head, want)
	}
	if head.Body != "" || head.BodyHTML != "" || head.PingURLs != "" || head.SkipLinks != "" || head.Tags != nil {
		t.Errorf("head carries the text or lists: %+v", *head)
	}
	p.Status = StatusDraft
	if err := s.UpdatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	if head, err := s.PostHeadByID(ctx, p.ID); err != nil || head.Status != StatusDraft {
		t.Errorf("draft: %v %v", head, err)
	}
	if _, err := s.PostHeadByID(ctx, p.ID+100); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown post: %v, want ErrNotFound", err)
	}
}
