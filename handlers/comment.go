package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/text"
	"github.com/crosstalk/crosstalk/views"
)

// postComment stores a reader's comment, held for moderation unless the site
// says otherwise. A filled honeypot field is thanked and dropped.
func (s *Server) postComment(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.renderError(c, models.ErrNotFound)
		return
	}
	ctx := c.Request.Context()
	post, err := s.Posts.PostByID(ctx, id)
	if err != nil {
		s.renderError(c, err) // not found is 404; a database failure is a 500
		return
	}
	if !post.IsPublic() {
		s.renderError(c, models.ErrNotFound)
		return
	}
	if !unlocked(c, post) { // a protected post's readers comment once they entered its password
		s.renderLocked(c, post, http.StatusForbidden, false)
		return
	}
	if !post.AllowComments {
		s.renderStatus(c, http.StatusForbidden, "Comments are closed", "This post no longer accepts comments.")
		return
	}
	if c.PostForm("website2") != "" { // honeypot: only bots fill hidden fields
		redirect(c, post.Path()+"?commented=1#comment-form")
		return
	}
	site, err := s.site.get(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	fb := &models.Feedback{
		PostID: post.ID, Kind: models.FeedbackComment, Status: models.ModPending,
		AuthorName: c.PostForm("name"), AuthorEmail: c.PostForm("email"), SourceURL: c.PostForm("url"),
		Content: c.PostForm("content"), IP: c.ClientIP(), UserAgent: text.TruncateBytes(c.Request.UserAgent(), 500),
	}
	if !site.ModerateAll {
		fb.Status = models.ModApproved
	}
	fb.Normalize()
	if err := fb.ValidateComment(); err != nil {
		form := commentFormOf(fb)
		form.Errors = models.FieldErrors(err)
		s.renderPost(c, post, form)
		return
	}
	if ok, wait := s.comments.allow(ctx, site.Comments, fb.IP, post.ID); !ok {
		s.commentTooFast(c, post, commentFormOf(fb), wait)
		return
	}
	if _, err := s.Feedback.AddFeedback(ctx, fb); err != nil {
		s.renderError(c, err)
		return
	}
	if fb.Status == models.ModApproved { // shown at once, on every instance
		s.Changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: post.ID})
	}
	redirect(c, post.Path()+"?commented=1#comment-form")
}

// commentFormOf gives the reader's comment back to the form.
func commentFormOf(fb *models.Feedback) views.CommentForm {
	return views.CommentForm{Name: fb.AuthorName, Email: fb.AuthorEmail, URL: fb.SourceURL, Content: fb.Content}
}
