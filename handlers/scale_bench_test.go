package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
)

// BenchmarkScale answers each reader and admin page of a blog with 100,000
// published posts and 1,000,000 comments and linkbacks (one post has 10,000
// comments), through the real gin engine (httptest), and reports each
// page's p99 beside ns/op. The seed takes a while, so it runs only when asked:
//
//	CROSSTALK_SCALE_BENCH=1 go test -run '^$' -bench Scale -benchtime 200x ./handlers/
func BenchmarkScale(b *testing.B) {
	if testing.Short() || os.Getenv("CROSSTALK_SCALE_BENCH") != "1" {
		b.Skip("set CROSSTALK_SCALE_BENCH=1 (and leave out -short) to seed 100,000 posts and 1,000,000 comments")
	}
	target := storetest.Target(b)
	e := newEnvAt(b, target, models.Options{}, PingLimits{}, 0)
	admin, u := e.admin()
	start := time.Now()
	seedScale(b, target, scaleSeed{Posts: 100000, Tags: 100, HotComments: 10000, Feedback: 990000, AuthorID: u.ID})
	b.Logf("seeded 100,000 posts and 1,000,000 comments and linkbacks in %s", time.Since(start).Round(time.Millisecond))
	e.pages = nil // every page rendered: the figures are the uncached ones
	engine := e.engine(e.store, nil)
	adminCookies := admin.Jar.Cookies(mustURL(b, e.srv.URL))
	pages := []struct {
		name, path string
		c          bool // as the admin
		uncached   bool // with the settings and month archive caches expired
	}{
		{"post", "/2026/11/p-30", false, false},
		{"home, caches expired", "/", false, true},
		{"post 10k comments", "/2026/11/p-1", false, false},
		{"post 10k comments last page", "/2026/11/p-1?cpage=200", false, false},
		{"home", "/", false, false},
		{"home page 500", "/?page=500", false, false},
		{"month", "/2026/06", false, false},
		{"tag", "/tag/t-7", false, false},
		{"feed", "/feed", false, false},
		{"atom", "/feed/atom", false, false},
		{"tag feed", "/tag/t-7/feed", false, false},
		{"queue", "/admin/queue", true, false},
		{"queue approved comments", "/admin/queue?status=approved&kind=comment", true, false},
		{"dashboard", "/admin", true, false},
		{"admin posts", "/admin/posts", true, false},
		{"admin drafts", "/admin/posts?status=draft", true, false},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				if p.uncached {
					e.clock.Advance(time.Minute)
				}
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				if p.c {
					for _, c := range adminCookies {
						req.AddCookie(c)
					}
				}
				w := httptest.NewRecorder()
				t0 := time.Now()
				engine.ServeHTTP(w, req)
				times = append(times, time.Since(t0))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %.300s", p.path, w.Code, w.Body.String())
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

func mustURL(tb testing.TB, raw string) *url.URL {
	tb.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}
