package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/federation"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// fediverseRoutes serves the blog's fediverse side: discovery, actors,
// collections and inboxes. Like the linkback endpoints they are
// cross-site by design (no session, no CSRF token): signatures, rate
// limits and a body cap defend the inboxes.
func (s *Server) fediverseRoutes(r *gin.Engine) {
	getOrHead(r, "/.well-known/webfinger", s.webfinger)
	getOrHead(r, "/.well-known/nodeinfo", s.nodeinfoLinks)
	getOrHead(r, "/nodeinfo/2.1", s.nodeinfo)
	r.POST("/ap/inbox", s.apInbox)
	getOrHead(r, "/ap/blog", s.apActor)
	getOrHead(r, "/ap/blog/:collection", s.apCollection)
	r.POST("/ap/blog/inbox", s.apInbox)
	getOrHead(r, "/ap/users/:name", s.apActor)
	getOrHead(r, "/ap/users/:name/:collection", s.apCollection)
	r.POST("/ap/users/:name/inbox", s.apInbox)
}

// apLocal is the local actor an /ap/ address names.
func apLocal(c *gin.Context) string {
	if name := c.Param("name"); name != "" {
		return models.UserActor(name)
	}
	return models.BlogActor
}

// writeJSON answers a fediverse document with its media type.
func writeJSON(c *gin.Context, contentType string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Header("Vary", "Accept")
	c.Data(http.StatusOK, contentType, body)
}

// apError maps federation's errors to HTTP answers, in one place.
func (s *Server) apError(c *gin.Context, err error) {
	var limited *intake.RateLimitError
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, federation.ErrDisabled), errors.Is(err, federation.ErrNoActor), errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, federation.ErrUnauthorized):
		status = http.StatusUnauthorized
	case errors.Is(err, activitypub.ErrMalformed):
		status = http.StatusBadRequest
	case errors.Is(err, federation.ErrBlocked):
		status = http.StatusForbidden
	case errors.As(err, &limited):
		status = http.StatusTooManyRequests
		c.Header("Retry-After", strconv.Itoa(int(limited.RetryAfter.Seconds())+1))
	}
	switch status {
	case http.StatusInternalServerError:
		s.Log.ErrorContext(c.Request.Context(), "fediverse", "path", c.Request.URL.Path, "err", err)
	case http.StatusUnauthorized:
		s.Log.InfoContext(c.Request.Context(), "fediverse: unauthenticated inbox post", "err", err)
	}
	c.AbortWithStatusJSON(status, gin.H{"error": http.StatusText(status)})
}

func (s *Server) webfinger(c *gin.Context) {
	c.Header("Access-Control-Allow-Origin", "*")
	resource := c.Query("resource")
	if resource == "" {
		c.AbortWithStatusJSON(http.StatusBadRequest, gin.H{"error": "resource is required"})
		return
	}
	jrd, err := s.fediverse.WebFinger(c.Request.Context(), resource)
	if err != nil {
		s.apError(c, err)
		return
	}
	writeJSON(c, "application/jrd+json", jrd)
}

func (s *Server) nodeinfoLinks(c *gin.Context) {
	if _, err := s.fediverse.NodeInfo(c.Request.Context()); err != nil {
		s.apError(c, err)
		return
	}
	writeJSON(c, "application/json", activitypub.NodeInfoLinks{Links: []activitypub.WebFingerLink{
		{Rel: activitypub.NodeInfoRel, Href: s.BaseURL + "/nodeinfo/2.1"}}})
}

func (s *Server) nodeinfo(c *gin.Context) {
	ni, err := s.fediverse.NodeInfo(c.Request.Context())
	if err != nil {
		s.apError(c, err)
		return
	}
	writeJSON(c, activitypub.NodeInfoContentType, ni)
}

func (s *Server) apActor(c *gin.Context) {
	a, err := s.fediverse.Actor(c.Request.Context(), apLocal(c))
	if err != nil {
		s.apError(c, err)
		return
	}
	writeJSON(c, activitypub.ContentType, a)
}

func (s *Server) apCollection(c *gin.Context) {
	ctx, local := c.Request.Context(), apLocal(c)
	var doc *activitypub.OrderedCollection
	var err error
	switch c.Param("collection") {
	case "outbox":
		doc, err = s.fediverse.Outbox(ctx, local)
	case "followers":
		doc, err = s.fediverse.Followers(ctx, local)
	case "following":
		doc, err = s.fediverse.Following(ctx, local)
	default:
		err = federation.ErrNoActor
	}
	if err != nil {
		s.apError(c, err)
		return
	}
	writeJSON(c, activitypub.ContentType, doc)
}

// apInbox takes a signed activity. The body is read whole (capped) before
// anything else, since the signature covers its digest.
func (s *Server) apInbox(c *gin.Context) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, activitypub.MaxInboxBody))
	if err != nil {
		c.AbortWithStatusJSON(http.StatusRequestEntityTooLarge, gin.H{"error": "body too large"})
		return
	}
	local := ""
	if c.FullPath() != "/ap/inbox" {
		local = apLocal(c)
	}
	if err := s.fediverse.Inbox(c.Request.Context(), c.Request, body, local, c.ClientIP()); err != nil {
		s.apError(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}

// postObject answers a post's permalink with its Article when the client
// asks for ActivityStreams (Accept: application/activity+json, or ld+json
// with the profile); anyone else gets the page. The answer varies by
// Accept, and the page cache never holds the JSON (see cacheKey).
func (s *Server) postObject(c *gin.Context) {
	c.Header("Vary", "Accept")
	if !activitypub.WantsJSON(c.GetHeader("Accept")) {
		return
	}
	c.Abort()
	ctx := c.Request.Context()
	p, err := s.Posts.PostBySlug(ctx, models.KindPost, c.Param("slug"))
	// The object's id is the permalink: another year or month is not it.
	// (Years and months compared, not paths: slugs may be escaped.)
	if y, m, _ := parseYearMonth(c.Param("year"), c.Param("month")); err == nil &&
		(p.PublishedAt == nil || y != p.PublishedAt.UTC().Year() || m != int(p.PublishedAt.UTC().Month())) {
		err = models.ErrNotFound
	}
	if err != nil {
		s.apError(c, err)
		return
	}
	obj, err := s.fediverse.PostObject(ctx, p)
	if err != nil {
		s.apError(c, err)
		return
	}
	writeJSON(c, activitypub.ContentType, obj)
}
