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
// says otherwise, and sends the reader to it: a held comment is shown to
// its author alone (pendingURL), an approved one on its page. A filled
// honeypot field is thanked and dropped.
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
		redirect(c, post.Path()+"#comments")
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
		NotifyReplies: c.PostForm("notify_replies") != "",
	}
	if !site.ModerateAll {
		fb.Status = models.ModApproved
	}
	fb.Normalize()
	form := commentFormOf(fb, c.PostForm("remember") != "")
	form.ParentID, _ = strconv.ParseInt(c.PostForm("comment_parent"), 10, 64)
	ve := models.FieldErrors(fb.ValidateComment())
	if fb.NotifyReplies && fb.AuthorEmail == "" {
		ve = withField(ve, "email", "Give your email to be told of replies, or untick the box.")
	}
	thread, err := s.replyThread(c, post.ID, form.ParentID, site.ThreadDepth)
	if msg, refused := models.FieldErrors(err)["parent"]; refused {
		ve = withField(ve, "parent", msg)
	} else if err != nil {
		s.renderError(c, err)
		return
	}
	if ve != nil {
		form.Errors = ve
		s.renderPost(c, post, form)
		return
	}
	fb.ParentID = thread.ParentID
	if ok, wait := s.comments.allow(ctx, site.Comments, fb.IP, post.ID); !ok {
		s.commentTooFast(c, post, form, wait)
		return
	}
	if _, err := s.Feedback.AddFeedback(ctx, fb); err != nil {
		s.renderError(c, err)
		return
	}
	rememberCommenter(c, s.BaseURL, form)
	if thread.RootID == 0 {
		thread.RootID = fb.ID
	}
	page, err := s.threadPage(c, post.ID, thread.RootID, site.NewestFirst)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if fb.Status == models.ModApproved { // shown at once, on every instance
		s.Changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: post.ID})
		redirect(c, commentPageURL(post.Path(), page, "")+"#comment-"+strconv.FormatInt(fb.ID, 10))
		return
	}
	redirect(c, s.pendingURL(post.Path(), page, fb))
}

// replyThread places a reply (parentID 0: a new thread).
func (s *Server) replyThread(c *gin.Context, postID, parentID int64, depth int) (models.Thread, error) {
	if parentID == 0 {
		return models.Thread{}, nil
	}
	return s.Feedback.ReplyThread(c.Request.Context(), postID, parentID, depth)
}

// threadPage is the comment page showing the thread rootID heads.
func (s *Server) threadPage(c *gin.Context, postID, rootID int64, newestFirst bool) (int, error) {
	before, err := s.Feedback.ThreadsBefore(c.Request.Context(), postID, rootID, newestFirst)
	return before/models.CommentsPerPage + 1, err
}

// withField adds a message to a form's errors.
func withField(errs map[string]string, field, msg string) map[string]string {
	if errs == nil {
		errs = map[string]string{}
	}
	if _, ok := errs[field]; !ok {
		errs[field] = msg
	}
	return errs
}

// commentFormOf gives the reader's comment back to the form.
func commentFormOf(fb *models.Feedback, remember bool) views.CommentForm {
	return views.CommentForm{Name: fb.AuthorName, Email: fb.AuthorEmail, URL: fb.SourceURL, Content: fb.Content,
		Remember: remember, NotifyReplies: fb.NotifyReplies}
}
