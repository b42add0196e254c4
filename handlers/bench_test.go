package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// seedDiscussion publishes a post with n approved comments and n approved TrackBacks.
func seedDiscussion(tb testing.TB, e *testEnv, n int) string {
	tb.Helper()
	ctx := context.Background()
	u := &models.User{Name: "bench", Email: "b@example.com", PasswordHash: "x"}
	if err := e.store.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	now := e.clock.Now()
	p := &models.Post{Kind: models.KindPost, AuthorID: u.ID, Title: "Busy post", Slug: "busy-post", Body: "b",
		BodyHTML: "<p>Hello</p>", Status: models.StatusPublished, PublishedAt: &now, AllowComments: true, AllowPings: true}
	if err := e.store.CreatePost(ctx, p, []string{"a", "b", "c"}); err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < n; i++ {
		for _, kind := range []models.FeedbackKind{models.FeedbackComment, models.FeedbackTrackBack} {
			f := &models.Feedback{PostID: p.ID, Kind: kind, Status: models.ModApproved, AuthorName: "Reader",
				SourceURL: fmt.Sprintf("https://r%d.example/", i), Title: "t", Content: "A thoughtful comment."}
			if _, err := e.store.AddFeedback(ctx, f); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return p.Path()
}

// TestPostPageQueryCount proves the post page costs the same number of
// queries with 1 comment as with 50 (no N+1).
func TestPostPageQueryCount(t *testing.T) {
	counts := map[int]int64{}
	for _, n := range []int{1, 50} {
		var queries atomic.Int64
		e := newEnvWith(t, models.Options{OnQuery: func(string) { queries.Add(1) }}, PingLimits{})
		path := seedDiscussion(t, e, n)
		c := e.client()
		e.get(c, path)          // warm the settings cache
		e.pages.InvalidateAll() // count a render, not a page cache hit
		queries.Store(0)
		res := e.get(c, path)
		if res.status != http.StatusOK {
			t.Fatalf("post page: %d", res.status)
		}
		counts[n] = queries.Load()
	}
	// 6: the post, its tags, comments, linkbacks, categories, and its
	// previous and next posts (one query); menu and authors are cached.
	if counts[1] != counts[50] || counts[50] > 6 {
		t.Errorf("queries per post page: %d with 1 comment, %d with 50 (want equal and at most 6)", counts[1], counts[50])
	}
}

// BenchmarkPostPage renders a post with 50 approved comments and 50 TrackBacks
// through the whole gin engine: without the page cache (every request
// renders), and from it, uncompressed and gzip.
func BenchmarkPostPage(b *testing.B) {
	var queries atomic.Int64
	e := newEnvWith(b, models.Options{OnQuery: func(string) { queries.Add(1) }}, PingLimits{})
	path := seedDiscussion(b, e, 50)
	cache := e.pages
	e.pages = nil
	uncached := e.engine(e.store, nil)
	e.pages = cache
	cached := e.engine(e.store, nil)
	for _, bc := range []struct {
		name     string
		engine   http.Handler
		encoding string
	}{{"uncached", uncached, ""}, {"cached", cached, ""}, {"cached-gzip", cached, "gzip"}} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			if bc.encoding != "" {
				req.Header.Set("Accept-Encoding", bc.encoding)
			}
			bc.engine.ServeHTTP(httptest.NewRecorder(), req) // fill the cache
			queries.Store(0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w := httptest.NewRecorder()
				bc.engine.ServeHTTP(w, req)
				if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != bc.encoding {
					b.Fatalf("status %d, encoding %q", w.Code, w.Header().Get("Content-Encoding"))
				}
			}
			b.ReportMetric(float64(queries.Load())/float64(b.N), "queries/op")
		})
	}
}

// BenchmarkTrackBackPing measures one valid ping parsed, checked and stored.
func BenchmarkTrackBackPing(b *testing.B) {
	e := newEnvWith(b, models.Options{}, PingLimits{PerIPPerMinute: 1 << 30, PerPostPerMinute: 1 << 30})
	seedDiscussion(b, e, 0)
	engine := e.engine(e.store, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body := fmt.Sprintf("url=https%%3A%%2F%%2Fblog%d.example%%2Fpost&title=A+reply&excerpt=Some+words+about+your+post&blog_name=Other", i)
		req := httptest.NewRequest(http.MethodPost, "/trackback/1", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		engine.ServeHTTP(w, req)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<error>0</error>") {
			b.Fatalf("ping %d: %d %s", i, w.Code, w.Body.String())
		}
	}
}

// BenchmarkTrackBackPingParallel sends pings from 16 goroutines at once,
// as crosstalk-bench's wrk does: the writes share the one SQLite writer.
func BenchmarkTrackBackPingParallel(b *testing.B) {
	e := newEnvWith(b, models.Options{}, PingLimits{PerIPPerMinute: 1 << 30, PerPostPerMinute: 1 << 30})
	seedDiscussion(b, e, 0)
	engine := e.engine(e.store, nil)
	var n atomic.Int64
	b.SetParallelism(8) // 16 goroutines on 2 CPUs
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := fmt.Sprintf("url=https%%3A%%2F%%2Fblog%d.example%%2Fpost&title=A+reply&excerpt=Some+words&blog_name=Other", n.Add(1))
			req := httptest.NewRequest(http.MethodPost, "/trackback/1", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			engine.ServeHTTP(w, req)
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<error>0</error>") {
				b.Errorf("ping: %d %s", w.Code, w.Body.String())
				return
			}
		}
	})
}

// TestMonthArchiveIsCachedAndRefreshed: the home page's month list costs no
// query while cached, and a publish from the editor shows in it at once.
func TestMonthArchiveIsCachedAndRefreshed(t *testing.T) {
	var monthQueries atomic.Int64
	e := newEnvWith(t, models.Options{OnQuery: func(sql string) {
		if strings.HasPrefix(sql, "SELECT year, month") {
			monthQueries.Add(1)
		}
	}}, PingLimits{})
	c, _ := e.admin()
	e.publish(c, "November", "x", nil)
	reader := e.client()
	for range 3 {
		mustContain(t, e.get(reader, "/").body, "November 2026</a> (1)")
	}
	if n := monthQueries.Load(); n != 1 {
		t.Errorf("3 home pages ran the month query %d times, want 1", n)
	}
	e.publish(c, "Another", "x", nil)
	mustContain(t, e.get(reader, "/").body, "November 2026</a> (2)")
}
