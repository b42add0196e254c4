package models

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestAdjacentPostsOrder walks publication order, ties broken by id, and
// skips drafts and pages.
func TestAdjacentPostsOrder(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	day := clock.Now().Add(-72 * time.Hour)
	same := day.Add(time.Hour)
	var posts []*Post
	for i, at := range []time.Time{day, same, same, same.Add(time.Hour)} {
		at := at
		p := newPost(u.ID, fmt.Sprintf("Post %d", i), StatusPublished, &at)
		if err := s.CreatePost(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	draft := newPost(u.ID, "Draft between", StatusDraft, &same)
	if err := s.CreatePost(ctx, draft, nil); err != nil {
		t.Fatal(err)
	}
	for i, p := range posts {
		prev, next, err := s.AdjacentPosts(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		wantPrev, wantNext := int64(0), int64(0)
		if i > 0 {
			wantPrev = posts[i-1].ID
		}
		if i < len(posts)-1 {
			wantNext = posts[i+1].ID
		}
		if postID(prev) != wantPrev || postID(next) != wantNext {
			t.Errorf("post %d: prev %d next %d, want %d and %d", i, postID(prev), postID(next), wantPrev, wantNext)
		}
	}
}

func postID(p *Post) int64 {
	if p == nil {
		return 0
	}
	return p.ID
}
