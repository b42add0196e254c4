package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// commenterCookie keeps the name, email and website a reader asked to be
// remembered (WordPress's comment_author_* cookies), for a year. It is not
// HttpOnly: assets/static/comments.js fills the form from it, so the page
// bytes stay the same for every reader and the page cache keeps serving
// them; the server fills the form itself only on pages it never caches.
const commenterCookie = "crosstalk_commenter"

// rememberCommenter sets the cookie when the reader ticked the box and
// clears it when they did not, as WordPress does.
func rememberCommenter(c *gin.Context, baseURL string, form views.CommentForm) {
	// Not HttpOnly on purpose: comments.js reads it (it holds only what the
	// reader typed into the form, never a credential).
	ck := &http.Cookie{Name: commenterCookie, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, //nolint:gosec // G124: see above
		Secure: strings.HasPrefix(baseURL, "https://")}
	if form.Remember {
		ck.Value = url.Values{"n": {form.Name}, "e": {form.Email}, "u": {form.URL}}.Encode()
	} else {
		if _, err := c.Request.Cookie(commenterCookie); err != nil {
			return // nothing to forget
		}
		ck.MaxAge = -1
	}
	http.SetCookie(c.Writer, ck)
}

// fillRemembered puts the remembered details into an empty form. Only for
// pages that are never cached (a reply form, the reader's pending note).
func fillRemembered(c *gin.Context, form *views.CommentForm) {
	ck, err := c.Request.Cookie(commenterCookie) // not c.Cookie: that unescapes the value once already
	if err != nil || form.Name != "" {
		return
	}
	v, err := url.ParseQuery(ck.Value)
	if err != nil {
		return
	}
	form.Name, form.Email, form.URL, form.Remember = v.Get("n"), v.Get("e"), v.Get("u"), true
}

// commentPageURL is the address of comment page n of the post at path,
// with more query parameters if given.
func commentPageURL(path string, n int, query string) string {
	var q []string
	if n > 1 {
		q = append(q, "cpage="+strconv.Itoa(n))
	}
	if query != "" {
		q = append(q, query)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + strings.Join(q, "&")
}

// pendingURL shows a held comment to its author, as WordPress 6 does
// (?unapproved=ID&moderation-hash=…): the keyed hash proves the link came
// from the comment's own post, so nobody else reads held comments by id.
func (s *Server) pendingURL(path string, page int, fb *models.Feedback) string {
	id := strconv.FormatInt(fb.ID, 10)
	return commentPageURL(path, page, "unapproved="+id+"&moderation-hash="+s.moderationHash(fb.ID)) + "#comment-" + id
}

func (s *Server) moderationHash(id int64) string {
	return s.keyedHash("pending:" + strconv.FormatInt(id, 10))[:20]
}

// keyedHash is the hex HMAC-SHA256 of msg under the site's comment key.
func (s *Server) keyedHash(msg string) string {
	m := hmac.New(sha256.New, s.commentKey)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// ownPending finds the held comment the address names for its author, or
// nil (no such parameter, a wrong hash, another post, no longer held).
func (s *Server) ownPending(c *gin.Context, postID int64) (*models.Feedback, error) {
	raw, hash := c.Query("unapproved"), c.Query("moderation-hash")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || !hmac.Equal([]byte(hash), []byte(s.moderationHash(id))) {
		return nil, nil
	}
	it, err := s.Feedback.FeedbackByID(c.Request.Context(), id)
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	if it.PostID != postID || it.Status != models.ModPending || it.Kind != models.FeedbackComment {
		return nil, nil
	}
	return &it.Feedback, nil
}

// replyTarget completes a reply form: the comment replied to (?replytocom
// or the form's comment_parent) must be one the page shows, else the form
// is a new comment again.
func (s *Server) replyTarget(c *gin.Context, post *models.Post, page int, form *views.CommentForm) error {
	if form.ParentID == 0 {
		form.ParentID, _ = strconv.ParseInt(c.Query("replytocom"), 10, 64)
	}
	if form.ParentID <= 0 {
		form.ParentID = 0
		return nil
	}
	it, err := s.Feedback.FeedbackByID(c.Request.Context(), form.ParentID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		form.ParentID = 0
		return nil
	case err != nil:
		return err
	case it.PostID != post.ID || it.Status != models.ModApproved ||
		(it.Kind != models.FeedbackComment && it.ResponseType != models.ResponseReply):
		form.ParentID = 0
		return nil
	}
	form.ReplyTo = it.AuthorName
	form.CancelURL = commentPageURL(post.Path(), page, "") + "#respond"
	return nil
}
