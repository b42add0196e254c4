package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/views"
)

// revisionsPage lists a post's revisions; with :rev it shows that one
// against the post as it is now, as a line diff of the Markdown.
func (s *Server) revisionsPage(c *gin.Context) {
	post, err := s.postFromPath(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	ctx := c.Request.Context()
	revs, err := s.Posts.Revisions(ctx, post.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	page := views.RevisionsPage{Layout: s.adminLayout(c, "Revisions"), Post: post, Revisions: revs}
	if c.Param("rev") != "" {
		rev, err := s.revisionFromPath(c, post.ID)
		if err != nil {
			s.renderError(c, err)
			return
		}
		page.Shown, page.TitleChanged = rev, rev.Title != post.Title
		page.Diff = lineDiff(rev.Body, post.Body)
	}
	s.render(c, http.StatusOK, "admin_revisions", page)
}

func (s *Server) revisionFromPath(c *gin.Context, postID int64) (*models.Revision, error) {
	id, err := strconv.ParseInt(c.Param("rev"), 10, 64)
	if err != nil {
		return nil, models.ErrNotFound
	}
	return s.Posts.RevisionByID(c.Request.Context(), postID, id)
}

// restoreRevision puts a revision's title, text and excerpt back into the
// post; the save keeps a revision of its own, so it can be undone.
func (s *Server) restoreRevision(c *gin.Context) {
	post, err := s.postFromPath(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	rev, err := s.revisionFromPath(c, post.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	post.Title, post.Body, post.Excerpt = rev.Title, rev.Body, rev.Excerpt
	err = s.PostService.Update(c.Request.Context(), post, posts.Edit{Tags: posts.TagNames(post.Tags), By: userOf(c)})
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.flash(c, "Restored the revision of "+rev.CreatedAt.UTC().Format("2 Jan 2006 15:04 MST")+".")
	redirect(c, fmt.Sprintf("/admin/posts/%d/edit", post.ID))
}
