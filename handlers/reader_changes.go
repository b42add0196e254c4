package handlers

import (
	"context"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
)

// neighboursChanged drops the cached pages that show a written post
// besides its own page and the lists. A page's title and place are in the
// header menu of every page, so a page write drops everything (pages
// change rarely). A post is linked from its neighbours' previous/next
// links: their pages are dropped. (A published post moved to another date
// leaves its old neighbours' links stale until their next change; the
// hook does not see the old date.)
func (s *Server) neighboursChanged(ctx context.Context, c posts.Change) {
	if c.Post.Kind == models.KindPage {
		s.Changes.Changed(ctx, models.Change{Kind: models.ChangeAll})
		return
	}
	prev, next, err := s.Reader.AdjacentPosts(ctx, &c.Post)
	if err != nil {
		s.Log.WarnContext(ctx, "neighbours of a changed post", "post", c.Post.ID, "err", err)
		s.Changes.Changed(ctx, models.Change{Kind: models.ChangeAll}) // rather too much than stale
		return
	}
	for _, p := range []*models.Post{prev, next} {
		if p != nil {
			s.Changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: p.ID})
		}
	}
}

// changingCategories is the category store as XML-RPC writes it: filing a
// post changes its page and the category archives on every instance.
type changingCategories struct {
	models.ReaderStore
	changes ChangeBus
}

// SetPostCategories files the post and tells every instance.
func (c changingCategories) SetPostCategories(ctx context.Context, postID int64, ids []int64) error {
	err := c.ReaderStore.SetPostCategories(ctx, postID, ids)
	if err == nil {
		c.changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: postID})
		c.changes.Changed(ctx, models.Change{Kind: models.ChangeLists})
	}
	return err
}
