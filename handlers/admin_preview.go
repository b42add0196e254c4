package handlers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// previewPost shows a post that is not published yet as readers will see
// it, to those who may edit it.
func (s *Server) previewPost(c *gin.Context) {
	post, err := s.postFromPath(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.renderPreview(c, post, "Preview: readers do not see this "+string(post.Kind)+" until it is published.")
}

func (s *Server) renderPreview(c *gin.Context, post *models.Post, note string) {
	l := s.layout(c, "Preview: "+post.Title)
	l.NoIndex = true
	if l.Flash == "" {
		l.Flash = note
	} else {
		l.Flash += " " + note
	}
	c.Header("X-Robots-Tag", "noindex")
	s.render(c, http.StatusOK, "post", views.PostPage{Layout: l, Post: post})
}

// sharePreview makes a link anyone can open to see the draft before it is
// published (a new one replaces the old, which stops working).
func (s *Server) sharePreview(c *gin.Context) {
	post, err := s.postFromPath(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	token, err := s.Posts.SharePreview(c.Request.Context(), post.ID)
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.flash(c, "Anyone with this link can read the draft until it is published: "+s.BaseURL+"/preview/"+token)
	redirect(c, fmt.Sprintf("/admin/posts/%d/preview", post.ID))
}

// sharedPreview shows the draft a shared link names; once published the
// link leads to the post, and a trashed post is not shown.
func (s *Server) sharedPreview(c *gin.Context) {
	post, err := s.Posts.PostByPreviewToken(c.Request.Context(), c.Param("token"))
	switch {
	case err != nil: // not found is a 404
		s.renderError(c, err)
	case post.IsPublic():
		c.Redirect(http.StatusSeeOther, post.Path())
	case post.Status == models.StatusTrash:
		s.renderError(c, models.ErrNotFound)
	default:
		s.renderPreview(c, post, "Preview of a draft: it is not published yet.")
	}
}
