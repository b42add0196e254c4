package handlers

import (
	"errors"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
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
	if ok, wait := s.pingIP.allow(clientKey(c.ClientIP())); !ok {
		s.pingRateLimited(c, wait)
		return
	}
	ctx := c.Request.Context()
	post, site, ok := s.pingTarget(c)
	if !ok {
		return
	}
	if !isForm(c.Request.Header.Get("Content-Type")) {
		trackback.WriteError(c.Writer, http.StatusOK, "Send the ping as application/x-www-form-urlencoded.")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, trackback.MaxPingBody)
	ping, err := trackback.ParsePing(c.Request)
	if errors.Is(err, trackback.ErrTooLarge) {
		trackback.WriteError(c.Writer, http.StatusRequestEntityTooLarge, trackback.ErrorMessage(err))
		return
	}
	if err != nil {
		trackback.WriteError(c.Writer, http.StatusOK, trackback.ErrorMessage(err))
		return
	}
	src, _ := url.Parse(ping.URL) // ParsePing validated it
	if site.Blocked(src.Hostname(), c.ClientIP()) {
		trackback.WriteError(c.Writer, http.StatusForbidden, "TrackBacks from this site are not accepted.")
		return
	}
	// Counted only for well-formed pings, so garbage cannot close a post to real ones.
	if ok, wait := s.pingPost.allow(strconv.FormatInt(post.ID, 10)); !ok {
		s.pingRateLimited(c, wait)
		return
	}
	fb := &models.Feedback{PostID: post.ID, Kind: models.FeedbackTrackBack, Status: models.ModPending,
		AuthorName: ping.BlogName, SourceURL: ping.URL, Title: ping.Title, Content: ping.Excerpt,
		IP: c.ClientIP(), UserAgent: truncate(c.Request.UserAgent(), 500), Verification: models.VerificationPending}
	if _, err := s.Feedback.AddFeedback(ctx, fb); err != nil {
		s.Log.Error("store trackback", "err", err, "post_id", post.ID, "request_id", c.GetString(ctxRequestID))
		trackback.WriteError(c.Writer, http.StatusInternalServerError, "The ping could not be stored; try again later.")
		return
	}
	trackback.WriteSuccess(c.Writer)
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

// pingTarget finds the post a ping URL names and checks it accepts pings,
// answering the error XML when not.
func (s *Server) pingTarget(c *gin.Context) (*models.Post, models.Site, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	var post *models.Post
	if err == nil {
		post, err = s.Posts.PostByID(c.Request.Context(), id)
	}
	if err != nil || !post.IsPublic() {
		if err != nil && !errors.Is(err, models.ErrNotFound) && !errors.Is(err, strconv.ErrSyntax) {
			s.Log.Error("trackback target", "err", err)
		}
		trackback.WriteError(c.Writer, http.StatusNotFound, "There is no post at this TrackBack URL.")
		return nil, models.Site{}, false
	}
	site, err := s.site.get(c.Request.Context())
	if err != nil {
		trackback.WriteError(c.Writer, http.StatusInternalServerError, "The blog cannot take pings right now; try again later.")
		return nil, site, false
	}
	if c.Request.Method == http.MethodPost && !post.AcceptsPings(site, s.Now()) {
		trackback.WriteError(c.Writer, http.StatusForbidden, "This post does not accept TrackBacks.")
		return nil, site, false
	}
	return post, site, true
}

func (s *Server) pingRateLimited(c *gin.Context, wait time.Duration) {
	c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	trackback.WriteError(c.Writer, http.StatusTooManyRequests, "Too many pings; wait a little and try again.")
}

// trackbackGet never shows an empty page at a ping URL (the seed article's
// problem for search engines): it redirects to the post, or with
// ?__mode=rss lists the approved pings as TrackBack 1.1 RSS.
func (s *Server) trackbackGet(c *gin.Context) {
	c.Header("X-Robots-Tag", "noindex")
	post, _, ok := s.pingTarget(c)
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
		s.Log.Error("trackback rss", "err", err)
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
	data.PingURL, data.RDF = ping, template.HTML(rdf)
}
