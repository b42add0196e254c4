package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
)

// webmention receives a W3C Webmention: source and target as a form POST.
// What can be checked without fetching is checked now (400 otherwise); the
// source is fetched later by the background verifier, so the answer is 202.
func (s *Server) webmention(c *gin.Context) {
	if c.Request.ContentLength > trackback.MaxPingBody {
		c.String(http.StatusRequestEntityTooLarge, "The request is too large.")
		return
	}
	if ok, wait := s.pingIP.allow(clientKey(c.ClientIP())); !ok {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		c.String(http.StatusTooManyRequests, "Too many webmentions; wait a little and try again.")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, trackback.MaxPingBody)
	if err := c.Request.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			c.String(http.StatusRequestEntityTooLarge, "The request is too large.")
			return
		}
		c.String(http.StatusBadRequest, "The request could not be read.")
		return
	}
	rawSource, target := c.Request.PostForm.Get("source"), c.Request.PostForm.Get("target")
	if rawSource == "" || target == "" {
		c.String(http.StatusBadRequest, "Send source and target as application/x-www-form-urlencoded fields.")
		return
	}
	source, err := trackback.CleanURL(rawSource)
	if err != nil {
		c.String(http.StatusBadRequest, "The source is not a valid http or https URL.")
		return
	}
	cleanTarget, err := trackback.CleanURL(target)
	if err != nil {
		c.String(http.StatusBadRequest, "The target is not a valid http or https URL.")
		return
	}
	if cleanTarget == source {
		c.String(http.StatusBadRequest, "The source and the target are the same URL.")
		return
	}
	ctx := c.Request.Context()
	post, site, err := s.linkbackTarget(ctx, target)
	switch {
	case errors.Is(err, errTargetUnknown), errors.Is(err, errTargetRefused):
		c.String(http.StatusBadRequest, err.Error()) // our own fixed sentences
		return
	case err != nil:
		s.Log.Error("webmention target", "err", err, "request_id", c.GetString(ctxRequestID))
		c.String(http.StatusInternalServerError, "The webmention could not be stored; try again later.")
		return
	}
	if s.selfSource(ctx, source, post, site) {
		c.String(http.StatusBadRequest, "The source is this blog itself.")
		return
	}
	if site.Blocked(sourceHost(source), c.ClientIP()) {
		c.String(http.StatusBadRequest, "Webmentions from this site are not accepted.")
		return
	}
	if ok, wait := s.pingPost.allow(strconv.FormatInt(post.ID, 10)); !ok {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		c.String(http.StatusTooManyRequests, "Too many webmentions to this post; wait a little and try again.")
		return
	}
	fb := &models.Feedback{PostID: post.ID, Status: models.ModPending, AuthorName: sourceHost(source), SourceURL: source, TargetURL: target,
		Title: truncate(source, trackback.MaxTitle), IP: c.ClientIP(), UserAgent: truncate(c.Request.UserAgent(), 500)}
	if _, err := s.Feedback.SaveWebmention(ctx, fb); err != nil {
		s.Log.Error("store webmention", "err", err, "post_id", post.ID, "request_id", c.GetString(ctxRequestID))
		c.String(http.StatusInternalServerError, "The webmention could not be stored; try again later.")
		return
	}
	c.String(http.StatusAccepted, "Webmention accepted: the source will be checked, then the mention moderated.")
}
