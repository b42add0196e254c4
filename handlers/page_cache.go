package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/handlers/pagecache"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// Context keys by which a post page tells cachePages what it shows.
const (
	ctxCachePost    = "pagecache.post"
	ctxCacheExpires = "pagecache.expires"
)

// cachePages serves anonymous readers' GET and HEAD requests from the page
// cache and stores the pages it renders for them. list says the route shows
// many posts (home, archives, tag pages, feeds); otherwise the handler names
// the post it showed (cachePost), and a page that names none (a 404, a
// redirect) is not stored. Only 200 answers without cookies are stored, and
// only for addresses without a query string or with a page number alone
// (pageKey):
// per-visitor notes (?commented=1) are never cached, and anonymous pages
// carry no form token or flash (those are for logged-in users, who bypass
// the cache).
func (s *Server) cachePages(list bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		key, ok := s.cacheKey(c)
		if !ok {
			c.Next()
			return
		}
		if p := s.PageCache.Get(key); p != nil {
			p.Write(c.Writer, c.Request)
			c.Abort()
			return
		}
		if c.Request.Method != http.MethodGet { // HEAD is answered, not stored
			c.Next()
			return
		}
		ticket := s.PageCache.Ticket()
		before := headerNames(c.Writer.Header())
		rec := &pageRecorder{ResponseWriter: c.Writer, status: http.StatusOK}
		c.Writer = rec
		c.Next()
		c.Writer = rec.ResponseWriter
		if e, ok := cacheEntry(c, rec, before, list); ok {
			if p := s.PageCache.Put(key, ticket, e); p != nil {
				p.Write(c.Writer, c.Request)
				return
			}
		}
		rec.flush()
	}
}

// cacheKey names the page a request asks for, or says it is not one the
// cache may answer: a logged-in user, or not a page request (pageKey).
func (s *Server) cacheKey(c *gin.Context) (string, bool) {
	if s.PageCache == nil || userOf(c) != nil {
		return "", false
	}
	return pageKey(c.Request)
}

// pageKey names the page a GET or HEAD asks for: its path, with the query
// string when that is a page number alone (?page=N of a list, ?cpage=N of
// a post's comments). Any other query (a per-visitor note such as
// ?unapproved=N), a reader who entered a post's password, and a request
// for ActivityStreams JSON are not pages the cache may answer. Both the
// cache in front of gin and the one inside it ask here.
func pageKey(r *http.Request) (string, bool) {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || hasPostPass(r) || !CacheableAccept(r) {
		return "", false
	}
	q := r.URL.RawQuery
	if q == "" {
		return r.URL.Path, true
	}
	n, ok := strings.CutPrefix(q, "page=")
	if !ok {
		n, ok = strings.CutPrefix(q, "cpage=")
	}
	if !ok || n == "" || len(n) > 7 || n[0] == '0' {
		return "", false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return r.URL.Path + "?" + q, true
}

// CacheableAccept reports whether a request may be answered from, or
// stored in, the page cache: the cache holds HTML only, so a request for
// an ActivityStreams document (Accept: application/activity+json…) is
// never answered from it, nor is its JSON stored. A cache served in front
// of gin must ask the same.
func CacheableAccept(r *http.Request) bool {
	return !activitypub.WantsJSON(r.Header.Get("Accept"))
}

// cacheEntry is what a finished request leaves to store, if anything.
func cacheEntry(c *gin.Context, rec *pageRecorder, before []string, list bool) (pagecache.Entry, bool) {
	h := c.Writer.Header()
	if rec.status != http.StatusOK || c.IsAborted() || len(h.Values("Set-Cookie")) > 0 {
		return pagecache.Entry{}, false
	}
	e := pagecache.Entry{Header: http.Header{}, Body: rec.buf.Bytes(), Post: pagecache.List, Route: c.FullPath()}
	if !list {
		id, ok := c.Get(ctxCachePost)
		if !ok {
			return e, false
		}
		e.Post = id.(int64)
		if t, ok := c.Get(ctxCacheExpires); ok {
			e.Expires = t.(time.Time)
		}
	}
	for k, v := range h { // the handler's own headers, not the middleware's
		if !slices.Contains(before, k) || k == headerCSP { // render sets the page's own policy (csp.go)
			e.Header[k] = slices.Clone(v)
		}
	}
	return e, true
}

func headerNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	return names
}

// cachePost tells cachePages that this answer is the page of post, and
// until when it stays as it is: a post taking pings stops showing its
// TrackBack URL once the site's "close pings after N days" passes.
func (s *Server) cachePost(c *gin.Context, post *models.Post, site models.Site) {
	if s.PageCache == nil {
		return
	}
	c.Set(ctxCachePost, post.ID)
	if site.PingsCloseDays > 0 && post.PublishedAt != nil && post.AcceptsPings(site, s.Now()) {
		c.Set(ctxCacheExpires, post.PublishedAt.Add(time.Duration(site.PingsCloseDays)*24*time.Hour))
	}
}

// pageRecorder holds a handler's answer so that cachePages can store it
// before sending it.
type pageRecorder struct {
	gin.ResponseWriter
	status  int
	written bool
	buf     bytes.Buffer
}

func (r *pageRecorder) WriteHeader(code int) {
	if !r.written {
		r.status = code
	}
}

func (r *pageRecorder) WriteHeaderNow() { r.written = true }

func (r *pageRecorder) Write(b []byte) (int, error) {
	r.written = true
	return r.buf.Write(b)
}

func (r *pageRecorder) WriteString(s string) (int, error) {
	r.written = true
	return r.buf.WriteString(s)
}

func (r *pageRecorder) Status() int   { return r.status }
func (r *pageRecorder) Size() int     { return r.buf.Len() }
func (r *pageRecorder) Written() bool { return r.written }
func (r *pageRecorder) Flush()        {}

// flush sends the held answer as the handler wrote it.
func (r *pageRecorder) flush() {
	r.ResponseWriter.WriteHeader(r.status)
	if r.buf.Len() > 0 {
		_, _ = r.ResponseWriter.Write(r.buf.Bytes())
	} else {
		r.ResponseWriter.WriteHeaderNow()
	}
}

// pageWatchedFeedback is the moderation queue as the handlers, the intake
// service and XML-RPC write it: every write that changes what a post page
// shows drops that post's cached page. A pending item (a stranger's comment
// or ping held for moderation) changes nothing a reader sees and drops
// nothing; a re-sent Webmention only asks for a new check (the verifier
// reports what it finds).
type pageWatchedFeedback struct {
	models.FeedbackStore
	pages *pagecache.Cache
}

func (f pageWatchedFeedback) AddFeedback(ctx context.Context, fb *models.Feedback) (bool, error) {
	created, err := f.FeedbackStore.AddFeedback(ctx, fb)
	if err == nil && created && fb.Status == models.ModApproved {
		f.pages.InvalidatePost(fb.PostID)
	}
	return created, err
}

func (f pageWatchedFeedback) UpdateFeedback(ctx context.Context, fb *models.Feedback) error {
	err := f.FeedbackStore.UpdateFeedback(ctx, fb)
	if err == nil {
		f.pages.InvalidatePost(fb.PostID)
	}
	return err
}

func (f pageWatchedFeedback) SetFeedbackStatus(ctx context.Context, status models.ModerationStatus, ids ...int64) error {
	postIDs, err := f.postsOf(ctx, ids)
	if err != nil {
		return err
	}
	err = f.FeedbackStore.SetFeedbackStatus(ctx, status, ids...)
	f.dropPages(postIDs)
	return err
}

func (f pageWatchedFeedback) DeleteFeedback(ctx context.Context, ids ...int64) error {
	postIDs, err := f.postsOf(ctx, ids)
	if err != nil {
		return err
	}
	err = f.FeedbackStore.DeleteFeedback(ctx, ids...)
	f.dropPages(postIDs)
	return err
}

// postsOf finds the posts items belong to (before they change or go).
func (f pageWatchedFeedback) postsOf(ctx context.Context, ids []int64) ([]int64, error) {
	var out []int64
	for _, id := range ids {
		it, err := f.FeedbackByID(ctx, id)
		if err != nil {
			if errors.Is(err, models.ErrNotFound) {
				continue // the store decides what an unknown id means
			}
			return nil, err
		}
		if !slices.Contains(out, it.PostID) {
			out = append(out, it.PostID)
		}
	}
	return out, nil
}

func (f pageWatchedFeedback) dropPages(postIDs []int64) {
	for _, id := range postIDs {
		f.pages.InvalidatePost(id)
	}
}

// pageCacheInvalidator applies change notes (this instance's and, through
// the change bus, other instances') to the page cache. A post note drops
// that post's page; a post write sends a lists note beside it.
type pageCacheInvalidator struct{ pages *pagecache.Cache }

func (p pageCacheInvalidator) InvalidatePost(id int64) { p.pages.InvalidatePost(id) }

func (p pageCacheInvalidator) InvalidateLists() { p.pages.InvalidateLists() }
func (p pageCacheInvalidator) InvalidateAll()   { p.pages.InvalidateAll() }
