package handlers

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
)

// TestPageCacheFront: an anonymous reader's cache hit is answered before
// gin (no request line at info level) with the same headers as the miss
// that stored it and as a hit answered through gin (a request with a stale
// session cookie), and is counted in the request metrics under its route.
// A logged-in user never gets the cached page.
func TestPageCacheFront(t *testing.T) {
	e := newOpsEnv(t, nil)
	logs := &requestPaths{}
	e.log = slog.New(logs)
	e.srv.Config.Handler = e.engine(e.store, e.log)
	admin, _ := e.admin()
	path := e.publish(admin, "Front", "Words for the front.", nil)
	reader := e.client()

	miss := e.get(reader, path)
	logged := len(logs.logged())
	hits := e.hits()
	hit := e.get(reader, path)
	if hit.status != http.StatusOK || hit.body != miss.body || e.hits() != hits+1 {
		t.Fatalf("second read: %d, hits %d→%d", hit.status, hits, e.hits())
	}
	if got := logs.logged(); len(got) != logged {
		t.Errorf("a hit was logged at info level (answered by gin?): %q", got[logged:])
	}
	// A cookie of no live login: gin decodes it, finds no user and answers
	// from the cache too.
	stale := e.do(e.client(), "GET", path, nil, "Cookie", sessionName+"=expired-or-forged")
	if stale.status != http.StatusOK || stale.body != miss.body || e.hits() != hits+2 {
		t.Fatalf("stale cookie: %d, hits %d→%d", stale.status, hits, e.hits())
	}
	if got := logs.logged(); !slices.Contains(got[logged:], path) {
		t.Errorf("the stale-cookie request did not go through gin: %q", got[logged:])
	}
	want := headerSet(miss.header)
	for name, res := range map[string]response{"hit before gin": hit, "hit through gin": stale} {
		if got := headerSet(res.header); !slices.Equal(got, want) {
			t.Errorf("%s headers %q, the miss sent %q", name, got, want)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
			"Content-Type", "Etag", "Last-Modified", "Cache-Control", "Vary", "Link", "X-Pingback"} {
			if res.header.Get(h) != miss.header.Get(h) || res.header.Get(h) == "" {
				t.Errorf("%s: %s %q, the miss sent %q", name, h, res.header.Get(h), miss.header.Get(h))
			}
		}
		if id := res.header.Get("X-Request-Id"); id == "" || id == miss.header.Get("X-Request-Id") {
			t.Errorf("%s: request id %q", name, id)
		}
	}
	if res := e.do(reader, "GET", path, nil, "If-None-Match", miss.header.Get("ETag")); res.status != http.StatusNotModified {
		t.Errorf("If-None-Match before gin: %d", res.status)
	}

	metrics := e.get(reader, "/metrics").body
	if !strings.Contains(metrics, `crosstalk_http_requests_total{method="GET",route="/:year/:month/:slug",status="2xx"} 3`) ||
		!strings.Contains(metrics, `crosstalk_http_requests_total{method="GET",route="/:year/:month/:slug",status="3xx"} 1`) {
		t.Errorf("hits are not counted under their route:\n%s", grepLines(metrics, `route="/:year/:month/:slug"`))
	}

	logged = len(logs.logged())
	res := e.get(admin, path)
	mustContain(t, res.body, "Log out admin")
	if res.header.Get("ETag") != "" || !slices.Contains(logs.logged()[logged:], path) {
		t.Errorf("a logged-in user got the cached page: ETag %q", res.header.Get("ETag"))
	}
}

// TestPageCacheCommentPages: ?cpage=N pages are cached with their post and
// dropped with it: a comment approved on the last page shows at once.
func TestPageCacheCommentPages(t *testing.T) {
	target := storetest.Target(t)
	e := newEnvAt(t, target, models.Options{}, PingLimits{}, 0)
	_, u := e.admin()
	seedScale(t, target, scaleSeed{Posts: 1, Tags: 1, HotComments: 60, AuthorID: u.ID})
	const path = "/2026/11/p-1?cpage=2"
	reader := e.client()
	first := e.get(reader, path)
	if first.status != http.StatusOK || len(shownComments(first.body)) != 10 {
		t.Fatalf("page 2: %d, %d comments", first.status, len(shownComments(first.body)))
	}
	hits := e.hits()
	if again := e.get(reader, path); again.body != first.body || e.hits() != hits+1 || again.header.Get("ETag") == "" {
		t.Fatalf("page 2 is not cached: hits %d→%d", hits, e.hits())
	}
	post, err := e.store.PostBySlug(context.Background(), models.KindPost, "p-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.queue().AddFeedback(context.Background(), &models.Feedback{PostID: post.ID, Kind: models.FeedbackComment,
		Status: models.ModApproved, AuthorName: "Late", Content: "Fresh words."}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, e.get(reader, path).body, "Fresh words.")
	if res := e.get(reader, "/2026/11/p-1?cpage=2&x=1"); res.header.Get("ETag") != "" {
		t.Error("a page with another query was answered from the cache")
	}
}

// headerSet is the names of h's headers, but Date.
func headerSet(h http.Header) []string {
	names := slices.Sorted(maps.Keys(h))
	return slices.DeleteFunc(names, func(n string) bool { return n == "Date" })
}

func grepLines(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
