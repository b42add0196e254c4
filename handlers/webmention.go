package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback"
)

// webmention receives a W3C Webmention: source and target as a form POST.
// What can be checked without fetching is checked now (400 otherwise); the
// source is fetched later by the background verifier, so the answer is 201
// with the Location of the mention's status page.
func (s *Server) webmention(c *gin.Context) {
	if c.Request.ContentLength > trackback.MaxPingBody {
		c.String(http.StatusRequestEntityTooLarge, "The request is too large.")
		return
	}
	if err := s.intake.Admit(c.Request.Context(), models.FeedbackWebmention, c.ClientIP()); err != nil {
		s.webmentionAnswer(c, nil, err)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, trackback.MaxPingBody)
	if err := c.Request.ParseForm(); err != nil {
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			c.String(http.StatusRequestEntityTooLarge, "The request is too large.")
			return
		}
		c.String(http.StatusBadRequest, "The request could not be read.")
		return
	}
	source, target := c.Request.PostForm.Get("source"), c.Request.PostForm.Get("target")
	if source == "" || target == "" {
		c.String(http.StatusBadRequest, "Send source and target as application/x-www-form-urlencoded fields.")
		return
	}
	// Stored even if the sender hangs up meanwhile, as a TrackBack is.
	res, err := s.intake.Receive(context.WithoutCancel(c.Request.Context()), intake.Linkback{Kind: models.FeedbackWebmention,
		Source: source, Target: target, RemoteIP: c.ClientIP(), UserAgent: c.Request.UserAgent()})
	s.webmentionAnswer(c, res, err)
}

// webmentionAnswer encodes the outcome: 201 with the Location of the status
// page, 429 with Retry-After, 400 with a fixed plain-text reason, or 500.
func (s *Server) webmentionAnswer(c *gin.Context, res *intake.Result, err error) {
	if err == nil {
		c.Header("Location", s.BaseURL+"/webmention/status/"+res.Feedback.StatusToken)
		c.String(http.StatusCreated, "Webmention accepted: the source will be checked, then the mention moderated. "+
			"Its status is at the address in the Location header.")
		return
	}
	var limited *intake.RateLimitError
	if errors.As(err, &limited) {
		c.Header("Retry-After", strconv.Itoa(limited.Seconds()))
		msg := "Too many webmentions; wait a little and try again."
		if limited.Scope == intake.ScopePost {
			msg = "Too many webmentions to this post; wait a little and try again."
		}
		c.String(http.StatusTooManyRequests, msg)
		return
	}
	for _, r := range []struct {
		err error
		msg string
	}{
		{intake.ErrSourceInvalid, "The source is not a valid http or https URL."},
		{intake.ErrTargetInvalid, "The target is not a valid http or https URL."},
		{intake.ErrSameURL, "The source and the target are the same URL."},
		{intake.ErrTargetUnknown, "The target is not a post on this blog."},
		{intake.ErrTargetRefused, "The target does not accept pingbacks or webmentions."},
		{intake.ErrSelfSource, "The source is this blog itself."},
		{intake.ErrBlocked, "Webmentions from this site are not accepted."},
	} {
		if errors.Is(err, r.err) {
			c.String(http.StatusBadRequest, r.msg)
			return
		}
	}
	s.Log.ErrorContext(c.Request.Context(), "webmention", "err", err)
	c.String(http.StatusInternalServerError, "The webmention could not be stored; try again later.")
}
