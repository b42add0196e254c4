package handlers

import (
	"context"
	"errors"
	"html/template"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/views"
)

// PingLimits bounds how fast TrackBacks, Pingbacks and Webmentions are accepted.
type PingLimits struct {
	// PerIPPerMinute is the sustained rate from one address (burst: the same number).
	PerIPPerMinute int
	// PerPostPerMinute is the sustained rate to one post, from everywhere.
	PerPostPerMinute int
}

// DefaultPingLimits suit a personal blog: a real blog pings a post once.
func DefaultPingLimits() PingLimits { return PingLimits{PerIPPerMinute: 10, PerPostPerMinute: 30} }

func (s *Server) pingURL(postID int64) string {
	return s.BaseURL + "/trackback/" + strconv.FormatInt(postID, 10)
}

// trackbackPing receives a TrackBack ping. Every answer, success or not, is
// the spec's XML; nothing is stored unless every check passed.
func (s *Server) trackbackPing(c *gin.Context) {
	if c.Request.ContentLength > trackback.MaxPingBody {
		trackback.WriteError(c.Writer, http.StatusRequestEntityTooLarge, trackback.ErrTooLarge.Error())
		return
	}
	if err := s.intake.Admit(c.Request.Context(), models.FeedbackTrackBack, c.ClientIP()); err != nil {
		s.trackbackAnswer(c, err, "")
		return
	}
	post, ok := s.pingTarget(c, true)
	if !ok {
		return
	}
	if !isForm(c.Request.Header.Get("Content-Type")) {
		trackback.WriteError(c.Writer, http.StatusOK, "Send the ping as application/x-www-form-urlencoded.")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, trackback.MaxPingBody)
	ping, err := trackback.ParsePing(c.Request)
	if err != nil {
		status := http.StatusOK
		if errors.Is(err, trackback.ErrTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		trackback.WriteError(c.Writer, status, trackback.ErrorMessage(err))
		return
	}
	// A ping read whole is stored even if its sender hangs up meanwhile: the
	// write is short, and one cut short would be logged as a failure.
	_, err = s.intake.Receive(context.WithoutCancel(c.Request.Context()), intake.Linkback{Kind: models.FeedbackTrackBack, Post: post,
		Source: ping.URL, Title: ping.Title, Excerpt: ping.Excerpt, BlogName: ping.BlogName,
		RemoteIP: c.ClientIP(), UserAgent: c.Request.UserAgent()})
	s.trackbackAnswer(c, err, "The ping could not be stored; try again later.")
}

// trackbackAnswer encodes the outcome of a ping as the spec's XML; failed
// is the message for a failure of the blog itself.
func (s *Server) trackbackAnswer(c *gin.Context, err error, failed string) {
	var limited *intake.RateLimitError
	switch {
	case err == nil:
		trackback.WriteSuccess(c.Writer)
	case errors.As(err, &limited):
		c.Header("Retry-After", strconv.Itoa(limited.Seconds()))
		trackback.WriteError(c.Writer, http.StatusTooManyRequests, "Too many pings; wait a little and try again.")
	case errors.Is(err, intake.ErrTargetUnknown):
		trackback.WriteError(c.Writer, http.StatusNotFound, "There is no post at this TrackBack URL.")
	case errors.Is(err, intake.ErrTargetRefused):
		trackback.WriteError(c.Writer, http.StatusForbidden, "This post does not accept TrackBacks.")
	case errors.Is(err, intake.ErrBlocked):
		trackback.WriteError(c.Writer, http.StatusForbidden, "TrackBacks from this site are not accepted.")
	case errors.Is(err, intake.ErrSourceInvalid):
		trackback.WriteError(c.Writer, http.StatusOK, trackback.ErrorMessage(trackback.ErrInvalidURL))
	default:
		s.Log.ErrorContext(c.Request.Context(), "trackback", "err", err, "path", c.Request.URL.Path)
		trackback.WriteError(c.Writer, http.StatusInternalServerError, failed)
	}
}

// isForm reports whether a Content-Type is a urlencoded form (or absent, as
// some old clients send it).
func isForm(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// pingTarget finds the post a ping URL names; receiving, it checks the post
// accepts pings. It answers the error XML when not.
func (s *Server) pingTarget(c *gin.Context, receiving bool) (*models.Post, bool) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64) // not a number: 0, no post
	post, err := s.intake.TrackBackPost(c.Request.Context(), id, receiving)
	if err != nil {
		s.trackbackAnswer(c, err, "The blog cannot take pings right now; try again later.")
		return nil, false
	}
	return post, true
}

// trackbackGet never shows an empty page at a ping URL (the seed article's
// problem for search engines): it redirects to the post, or with
// ?__mode=rss lists the approved pings as TrackBack 1.1 RSS.
func (s *Server) trackbackGet(c *gin.Context) {
	c.Header("X-Robots-Tag", "noindex")
	post, ok := s.pingTarget(c, false)
	if !ok {
		return
	}
	if c.Query("__mode") != "rss" {
		c.Redirect(http.StatusMovedPermanently, s.BaseURL+post.Path())
		return
	}
	feedback, err := s.Feedback.ApprovedFeedback(c.Request.Context(), post.ID)
	if err != nil {
		trackback.WriteError(c.Writer, http.StatusInternalServerError, "The pings could not be listed; try again later.")
		return
	}
	var items []trackback.RSSItem
	for _, f := range feedback {
		if f.Kind == models.FeedbackTrackBack {
			items = append(items, trackback.RSSItem{Title: f.Title, URL: f.SourceURL, Excerpt: f.Content})
		}
	}
	c.Header("Content-Type", trackback.XMLContentType)
	if err := trackback.WriteRSS(c.Writer, post.Title, s.BaseURL+post.Path(), post.Excerpt, items); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "trackback rss", "err", err)
	}
}

// decorateLinkbacks advertises the ping URL on a post that accepts pings:
// the RDF block, <link rel="trackback"> and the visible URL; and the
// Pingback and Webmention endpoints, as headers and <link> elements.
func (s *Server) decorateLinkbacks(c *gin.Context, data *views.PostPage) {
	if data.Post.Kind != models.KindPost || !data.Post.AcceptsPings(data.Site, s.Now()) {
		return
	}
	ping := s.pingURL(data.Post.ID)
	data.PingbackURL, data.WebmentionURL = s.BaseURL+"/xmlrpc", s.BaseURL+"/webmention"
	c.Header("X-Pingback", data.PingbackURL)
	c.Header("Link", "<"+data.WebmentionURL+`>; rel="webmention"`)
	rdf := trackback.RDFBlock(s.BaseURL+data.Post.Path(), data.Post.Title, ping)
	// RDFBlock escapes its attributes and keeps the comment intact.
	data.PingURL, data.RDF = ping, template.HTML(rdf) //nolint:gosec // G203: trackback.RDF escapes every value it writes
}
