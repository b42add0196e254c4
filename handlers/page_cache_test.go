package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/handlers/pagecache"
	"github.com/crosstalk/crosstalk/models"
)

// hits is the page cache's hit count.
func (e *testEnv) hits() uint64 {
	h, _, _ := e.pages.Stats()
	return h
}

// TestPageCacheValidators: anonymous readers get the cached page with a
// strong ETag and Last-Modified, 304 for matching validators, a gzip copy
// to clients that ask, and HEAD without a body.
func TestPageCacheValidators(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Cached", strings.Repeat("Some words worth compressing. ", 200), url.Values{"tags": {"go"}})
	e.clock.Advance(time.Second) // the page is rendered a second after the write
	reader := e.client()
	identity := []string{"Accept-Encoding", "identity"}
	first := e.do(reader, "GET", path, nil, identity...)
	etag, modified := first.header.Get("ETag"), first.header.Get("Last-Modified")
	if first.status != http.StatusOK || !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") ||
		modified != e.clock.Now().Format(http.TimeFormat) || first.header.Get("Vary") != "Accept, Accept-Encoding" ||
		first.header.Get("Cache-Control") != "no-cache" || first.header.Get("Content-Security-Policy") == "" ||
		first.header.Get("X-Pingback") == "" {
		t.Fatalf("first answer: %d %v", first.status, first.header)
	}
	hits := e.hits()
	again := e.do(reader, "GET", path, nil, identity...)
	if again.body != first.body || again.header.Get("ETag") != etag || e.hits() != hits+1 ||
		again.header.Get("X-Request-ID") == first.header.Get("X-Request-ID") {
		t.Fatalf("second answer is not the cached page: hits %d→%d, %v", hits, e.hits(), again.header)
	}

	tests := []struct {
		name    string
		headers []string
		status  int
	}{
		{"If-None-Match", []string{"If-None-Match", etag}, http.StatusNotModified},
		{"If-None-Match in a list", []string{"If-None-Match", `"other", ` + etag}, http.StatusNotModified},
		{"If-None-Match weak form", []string{"If-None-Match", "W/" + etag}, http.StatusNotModified},
		{"another ETag", []string{"If-None-Match", `"other"`}, http.StatusOK},
		{"If-Modified-Since", []string{"If-Modified-Since", modified}, http.StatusNotModified},
		{"If-Modified-Since later", []string{"If-Modified-Since", e.clock.Now().Add(time.Hour).Format(http.TimeFormat)}, http.StatusNotModified},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", e.clock.Now().Add(-time.Second).Format(http.TimeFormat)}, http.StatusOK},
		{"If-None-Match wins over a date", []string{"If-None-Match", `"other"`, "If-Modified-Since", modified}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do(reader, "GET", path, nil, append(identity, tt.headers...)...)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d", res.status, tt.status)
			}
			if tt.status == http.StatusNotModified && (res.body != "" || res.header.Get("ETag") != etag) {
				t.Errorf("304 with body %q, ETag %q", res.body, res.header.Get("ETag"))
			}
			if tt.status == http.StatusOK && res.body != first.body {
				t.Error("200 with another body")
			}
		})
	}

	t.Run("gzip", func(t *testing.T) {
		res := e.do(reader, "GET", path, nil, "Accept-Encoding", "br, gzip;q=0.8")
		if res.header.Get("Content-Encoding") != "gzip" || res.header.Get("ETag") == etag || res.header.Get("Vary") != "Accept, Accept-Encoding" {
			t.Fatalf("gzip answer: %v", res.header)
		}
		if n, _ := strconv.Atoi(res.header.Get("Content-Length")); n != len(res.body) || n >= len(first.body)/2 {
			t.Errorf("gzip copy of %d bytes for a page of %d", n, len(first.body))
		}
		zr, err := gzip.NewReader(strings.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || string(plain) != first.body {
			t.Fatalf("gzip copy does not unpack to the page: %v", err)
		}
		// Either variant's tag names the same page.
		if res := e.do(reader, "GET", path, nil, "Accept-Encoding", "gzip", "If-None-Match", etag); res.status != http.StatusNotModified {
			t.Errorf("identity ETag with gzip: %d", res.status)
		}
		if res := e.do(reader, "GET", path, nil, "Accept-Encoding", "gzip;q=0"); res.header.Get("Content-Encoding") != "" {
			t.Errorf("gzip;q=0 got %q", res.header.Get("Content-Encoding"))
		}
	})
	t.Run("HEAD", func(t *testing.T) {
		res := e.do(reader, "HEAD", path, nil, identity...)
		if res.status != http.StatusOK || res.body != "" || res.header.Get("Content-Length") != strconv.Itoa(len(first.body)) ||
			res.header.Get("ETag") != etag {
			t.Errorf("HEAD: %d %v", res.status, res.header)
		}
	})
	t.Run("feed keeps its Cache-Control", func(t *testing.T) {
		e.get(reader, "/tag/go/feed")
		res := e.do(reader, "GET", "/tag/go/feed", nil, identity...)
		if res.header.Get("Cache-Control") != "public, max-age=300" || res.header.Get("ETag") == "" ||
			!strings.HasPrefix(res.header.Get("Content-Type"), "application/rss+xml") {
			t.Errorf("feed headers: %v", res.header)
		}
	})
}

// TestPageCacheIfModifiedSinceSameSecond: a page rendered in the same second
// as a write is not confirmed by If-Modified-Since (one second's precision
// cannot tell the old page from the new); its ETag still is.
func TestPageCacheIfModifiedSinceSameSecond(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Same second", "x", nil)
	reader := e.client()
	e.get(reader, path)
	page := e.get(reader, path)
	if res := e.do(reader, "GET", path, nil, "If-Modified-Since", page.header.Get("Last-Modified")); res.status != http.StatusOK {
		t.Errorf("If-Modified-Since in the write's second: %d, want 200", res.status)
	}
	if res := e.do(reader, "GET", path, nil, "If-None-Match", page.header.Get("ETag")); res.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res.status)
	}
}

// TestPageCacheInvalidation: every write that changes a page is seen at
// once by the next anonymous reader, writes drop only the pages they
// change, and nothing a stranger sends drops anything.
func TestPageCacheInvalidation(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.admin()
	alpha := e.publish(admin, "Alpha", "alpha text", url.Values{"tags": {"go"}})
	beta := e.publish(admin, "Beta", "beta text", nil)
	alphaID := strconv.FormatInt(e.postID("alpha"), 10)
	reader := e.client()
	lists := []string{"/", "/feed", "/feed/atom", "/tag/go", "/tag/go/feed", "/2026/11", "/?page=1"}
	warm := func(posts ...string) {
		t.Helper()
		for _, p := range append(posts, lists...) {
			if res := e.get(reader, p); res.status != http.StatusOK {
				t.Fatalf("GET %s: %d", p, res.status)
			}
		}
	}
	warm(alpha, beta)
	if n := e.pages.Len(); n != 2+len(lists) {
		t.Fatalf("%d pages cached, want %d", n, 2+len(lists))
	}

	t.Run("strangers drop nothing", func(t *testing.T) {
		stranger := e.client()
		if res := e.do(stranger, "POST", "/comments/"+alphaID, url.Values{"name": {"Eve"}, "content": {"Held comment"}}); res.status != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.status)
		}
		if res := e.do(stranger, "POST", "/trackback/"+alphaID, url.Values{"url": {"https://other.example/p"}, "title": {"Held ping"}}); res.status != http.StatusOK {
			t.Fatalf("trackback: %d", res.status)
		}
		if res := e.webmention("https://other.example/m", testBaseURL+alpha); res.status != http.StatusCreated {
			t.Fatalf("webmention: %d", res.status)
		}
		if _, err := e.rpc("metaWeblog.newPost", "1", "admin", "wrong password", map[string]any{"title": "x", "description": "y"}, true); err == nil {
			t.Fatal("XML-RPC without the password was accepted")
		}
		if _, err := e.rpc("wp.deleteComment", "1", "nobody", "x", 1); err == nil {
			t.Fatal("XML-RPC without a login was accepted")
		}
		e.post(stranger, "/login", "/login", url.Values{"login": {"admin"}, "password": {"guess"}})
		hits := e.hits()
		if n := e.pages.Len(); n != 2+len(lists) {
			t.Errorf("%d pages cached after strangers' requests, want %d", n, 2+len(lists))
		}
		page := e.get(reader, alpha)
		mustNotContain(t, page.body, "Held comment", "Held ping")
		if e.hits() != hits+1 {
			t.Error("the post page was not answered from the cache")
		}
	})

	t.Run("approving a comment drops its post's page only", func(t *testing.T) {
		items, err := e.store.Queue(context.Background(), models.QueueFilter{Status: models.ModPending, Kind: models.FeedbackComment, Limit: 5})
		if err != nil || len(items) != 1 {
			t.Fatalf("queue: %v %d", err, len(items))
		}
		res := e.post(admin, "/admin/queue", "/admin/queue", url.Values{"action": {"approved"}, "id": {strconv.FormatInt(items[0].ID, 10)}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("approve: %d", res.status)
		}
		if n := e.pages.Len(); n != 1+len(lists) {
			t.Errorf("%d pages cached after approving, want %d (only the post's page dropped)", n, 1+len(lists))
		}
		mustContain(t, e.get(reader, alpha).body, "Held comment")
		// Deleting it from the queue takes it off the page at once.
		res = e.post(admin, "/admin/queue", "/admin/queue", url.Values{"action": {"delete"}, "id": {strconv.FormatInt(items[0].ID, 10)}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.status)
		}
		mustNotContain(t, e.get(reader, alpha).body, "Held comment")
	})

	t.Run("logged-in users bypass the cache", func(t *testing.T) {
		for _, p := range []string{"/", alpha} {
			res := e.get(admin, p)
			mustContain(t, res.body, "Log out admin")
			if res.header.Get("ETag") != "" {
				t.Errorf("%s: a logged-in page has an ETag", p)
			}
			mustNotContain(t, e.get(reader, p).body, "Log out")
		}
	})

	t.Run("per-visitor notes are not cached", func(t *testing.T) {
		visitor := e.client()
		res := e.do(visitor, "POST", "/comments/"+alphaID, url.Values{"name": {"Vera Visitor"}, "email": {"vera@example.com"},
			"content": {"Held note"}, "remember": {"yes"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.status)
		}
		noted := e.get(visitor, res.header.Get("Location"))
		mustContain(t, noted.body, "awaiting moderation", "Held note", `value="Vera Visitor"`)
		if noted.header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("the visitor's own page: Cache-Control %q", noted.header.Get("Cache-Control"))
		}
		if noted.header.Get("ETag") != "" {
			t.Error("the page with the visitor's note came from the cache")
		}
		for _, c := range []*http.Client{reader, visitor} { // the visitor's cookie changes no cached byte
			mustNotContain(t, e.get(c, alpha).body, "awaiting moderation", "Held note", "Vera", "vera@example.com")
		}
	})

	t.Run("unpublishing hides the post everywhere at once", func(t *testing.T) {
		warm(alpha, beta)
		res := e.post(admin, "/admin/posts/"+alphaID+"/edit", "/admin/posts/"+alphaID,
			url.Values{"title": {"Alpha"}, "slug": {"alpha"}, "body": {"alpha text"}, "status": {"draft"}, "kind": {"post"}, "tags": {"go"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("unpublish: %d", res.status)
		}
		if got := e.get(reader, alpha); got.status != http.StatusNotFound {
			t.Errorf("unpublished post: %d", got.status)
		}
		for _, p := range lists {
			mustNotContain(t, e.get(reader, p).body, "Alpha")
		}
		mustContain(t, e.get(reader, beta).body, "beta text")
	})

	t.Run("drafts are never shown", func(t *testing.T) {
		warm := e.get(reader, "/")
		res := e.post(admin, "/admin/posts/new", "/admin/posts", url.Values{"title": {"Gamma"}, "body": {"gamma text"}, "status": {"draft"}, "kind": {"post"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("draft: %d", res.status)
		}
		if got := e.get(reader, "/2026/11/gamma"); got.status != http.StatusNotFound {
			t.Errorf("draft: %d", got.status)
		}
		mustNotContain(t, e.get(reader, "/").body, "Gamma")
		mustNotContain(t, warm.body, "Gamma")
	})

	t.Run("settings change every page", func(t *testing.T) {
		pages := []string{beta, "/", "/feed", "/feed/atom", "/2026/11", "/?page=1"} // the tag has no post left
		for _, p := range pages {
			e.get(reader, p)
		}
		res := e.post(admin, "/admin/settings", "/admin/settings", url.Values{"title": {"Renamed Blog"}, "posts_per_page": {"10"},
			"comment_interval": {"0"}, "comment_burst": {"5"}, "comments_per_post": {"5"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("settings: %d %.300s", res.status, res.body)
		}
		for _, p := range pages {
			mustContain(t, e.get(reader, p).body, "Renamed Blog")
		}
	})

	t.Run("without moderation a comment shows at once", func(t *testing.T) {
		// The settings saved above hold nothing for moderation: a
		// reader's comment is approved as it is stored, and drops that
		// post's page only.
		betaID := strconv.FormatInt(e.postID("beta"), 10)
		e.get(reader, beta)
		before := e.pages.Len()
		if res := e.do(e.client(), "POST", "/comments/"+betaID, url.Values{"name": {"Ann"}, "content": {"Live comment"}}); res.status != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.status)
		}
		if n := e.pages.Len(); n != before-1 {
			t.Errorf("%d pages cached after the comment, want %d", n, before-1)
		}
		mustContain(t, e.get(reader, beta).body, "Live comment")
	})
}

// TestPageCacheMemoryBound: the cache never holds more than its bound; a
// page larger than the bound is served, not stored.
func TestPageCacheMemoryBound(t *testing.T) {
	e := newEnv(t)
	const bound = 40 << 10
	e.pages = pagecache.New(pagecache.Options{MaxBytes: bound, Now: e.clock.Now})
	e.srv.Config.Handler = e.engine(e.store, e.log)
	admin, _ := e.admin()
	reader := e.client()
	var paths []string
	for i := range 12 {
		// Text that does not compress much, so each page and its gzip copy are large.
		var b bytes.Buffer
		for j := range 600 {
			b.WriteString(strconv.FormatInt(int64(i*7919+j*104729)%999983, 36) + " ")
		}
		paths = append(paths, e.publish(admin, "Post "+strconv.Itoa(i), b.String(), nil))
	}
	for _, p := range paths {
		if res := e.get(reader, p); res.status != http.StatusOK {
			t.Fatalf("GET %s: %d", p, res.status)
		}
		if _, _, n := e.pages.Stats(); n > bound {
			t.Fatalf("cache holds %d bytes, bound %d", n, bound)
		}
	}
	if n := e.pages.Len(); n < 1 || n >= len(paths) {
		t.Errorf("%d of %d pages cached with a %d-byte bound", n, len(paths), bound)
	}
	// The most recent page is kept, the oldest went first.
	if res := e.get(reader, paths[len(paths)-1]); res.header.Get("ETag") == "" {
		t.Error("the newest page is not cached")
	}
	hits := e.hits()
	e.get(reader, paths[0])
	if e.hits() != hits {
		t.Error("the oldest page is still cached")
	}

	huge := e.publish(admin, "Huge", strings.Repeat("x", bound), nil)
	res := e.get(reader, huge)
	if res.status != http.StatusOK || !strings.Contains(res.body, strings.Repeat("x", 1000)) || res.header.Get("ETag") != "" {
		t.Errorf("page larger than the bound: %d, ETag %q", res.status, res.header.Get("ETag"))
	}
	if _, _, n := e.pages.Stats(); n > bound {
		t.Errorf("cache holds %d bytes, bound %d", n, bound)
	}
}
