package handlers

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/handlers/pagecache"
)

// cacheFront answers anonymous readers' page-cache hits before gin: for a
// cached page, gin's routing, the session cookie's decoding and the request
// log line cost more than sending the page. A hit sends what cachePages
// sends through gin (the security headers, a request id, the page's own
// headers and validators, 304 and gzip alike). Everything else goes on to
// next: a miss (cachePages renders and stores the page there), a request
// carrying the session cookie (a logged-in user, or a stale login gin
// sorts out), a request with a body, or any query but a page number.
//
// A hit is counted by the page cache and in the request metrics (under the
// route that rendered the page) and logged at debug level only: one log
// line per cached page would cost more than the page.
func (s *Server) cacheFront(next http.Handler) http.Handler {
	if s.PageCache == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := s.frontHit(r)
		if p == nil {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		id := randomHex(8)
		h := w.Header()
		h["X-Request-Id"] = []string{id}
		setSecurityHeaders(h)
		status := p.Write(w, r)
		if s.Metrics != nil {
			s.Metrics.count(p.Route, r.Method, status, time.Since(start))
		}
		if s.Log.Enabled(r.Context(), slog.LevelDebug) {
			s.Log.LogAttrs(WithRequestID(r.Context(), id), slog.LevelDebug, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
				slog.Duration("duration", time.Since(start)), slog.String("ip", r.RemoteAddr), slog.Bool("page_cache", true))
		}
	})
}

// frontHit is the cached page an anonymous request asks for, or nil.
func (s *Server) frontHit(r *http.Request) *pagecache.Page {
	if r.ContentLength != 0 || hasSessionCookie(r) {
		return nil
	}
	key, ok := pageKey(r)
	if !ok {
		return nil
	}
	return s.PageCache.Hit(key)
}

// hasSessionCookie reports whether r may carry the login session's cookie.
// It looks for the name alone, without decoding anything: a look-alike
// cookie merely sends the request the long way, through gin.
func hasSessionCookie(r *http.Request) bool {
	for _, v := range r.Header["Cookie"] {
		if strings.Contains(v, sessionName+"=") {
			return true
		}
	}
	return false
}
