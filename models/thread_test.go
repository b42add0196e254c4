package models

import (
	"context"
	"errors"
	"testing"
)

// TestReplyThread: a reply goes under an approved comment of the same post,
// and one deeper than the thread depth under the deepest ancestor allowed.
func TestReplyThread(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	now := clock.Now()
	post, other := newPost(u.ID, "Threads", StatusPublished, &now), newPost(u.ID, "Other", StatusPublished, &now)
	for _, p := range []*Post{post, other} {
		if err := s.CreatePost(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
	}
	add := func(postID int64, status ModerationStatus, parent *int64) int64 {
		t.Helper()
		f := &Feedback{PostID: postID, Kind: FeedbackComment, Status: status, AuthorName: "A", Content: "c", ParentID: parent}
		if _, err := s.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	root := add(post.ID, ModApproved, nil)
	d2 := add(post.ID, ModApproved, &root)
	d3 := add(post.ID, ModApproved, &d2)
	held := add(post.ID, ModPending, nil)
	elsewhere := add(other.ID, ModApproved, nil)
	underHeld := add(post.ID, ModApproved, &held) // heads a thread while its parent is held
	tests := []struct {
		name     string
		parent   int64
		depth    int
		want     *int64
		wantRoot int64
		refused  bool
	}{
		{"to a thread's head", root, 5, &root, root, false},
		{"within the depth", d3, 5, &d3, root, false},
		{"capped at depth 3", d3, 3, &d2, root, false},
		{"capped at depth 2", d3, 2, &root, root, false},
		{"flat", d2, 1, nil, 0, false},
		{"under an orphan", underHeld, 5, &underHeld, underHeld, false},
		{"held parent", held, 5, nil, 0, true},
		{"another post's comment", elsewhere, 5, nil, 0, true},
		{"missing", 9999, 5, nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th, err := s.ReplyThread(ctx, post.ID, tt.parent, tt.depth)
			if tt.refused {
				if FieldErrors(err)["parent"] == "" || !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want a parent field error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (th.ParentID == nil) != (tt.want == nil) || (th.ParentID != nil && *th.ParentID != *tt.want) || th.RootID != tt.wantRoot {
				t.Errorf("got parent %v root %d, want %v root %d", th.ParentID, th.RootID, tt.want, tt.wantRoot)
			}
		})
	}

	// Paging by threads: held comments are left out, the orphan heads its own thread.
	roots, replies, err := s.CommentThreads(ctx, post.ID, false, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 2 || roots[0].ID != root || roots[1].ID != underHeld || len(replies) != 2 || replies[0].ID != d2 || replies[1].ID != d3 {
		t.Errorf("threads: roots %v, replies %v", ids(roots), ids(replies))
	}
	roots, replies, err = s.CommentThreads(ctx, post.ID, true, 0, 1)
	if err != nil || len(roots) != 1 || roots[0].ID != underHeld || len(replies) != 0 {
		t.Errorf("newest first, one thread: %v %v %v", err, ids(roots), ids(replies))
	}
	if n, err := s.ThreadsBefore(ctx, post.ID, underHeld, false); err != nil || n != 1 {
		t.Errorf("threads before the orphan: %d %v", n, err)
	}
}

func ids(fs []Feedback) []int64 {
	out := make([]int64, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}
