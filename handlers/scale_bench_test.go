package handlers

import (
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
)

// BenchmarkScale answers each reader and admin page of a blog with 100,000
// published posts and 1,000,000 comments and linkbacks (one post has 10,000
// comments), through the real engine over HTTP, and reports each page's
// p99 beside ns/op. The seed takes a while, so it runs only when asked:
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
	reader := e.client()
	pages := []struct {
		name, path string
		c          bool // as the admin
	}{
		{"post", "/2026/11/p-30", false},
		{"post 10k comments", "/2026/11/p-1", false},
		{"post 10k comments last page", "/2026/11/p-1?cpage=200", false},
		{"home", "/", false},
		{"home page 500", "/?page=500", false},
		{"month", "/2026/06", false},
		{"tag", "/tag/t-7", false},
		{"feed", "/feed", false},
		{"atom", "/feed/atom", false},
		{"tag feed", "/tag/t-7/feed", false},
		{"queue", "/admin/queue", true},
		{"queue approved comments", "/admin/queue?status=approved&kind=comment", true},
		{"dashboard", "/admin", true},
		{"admin posts", "/admin/posts", true},
		{"admin drafts", "/admin/posts?status=draft", true},
	}
	for _, p := range pages {
		c := reader
		if p.c {
			c = admin
		}
		b.Run(p.name, func(b *testing.B) {
			e.t = b
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				res := e.get(c, p.path)
				times = append(times, time.Since(t0))
				if res.status != http.StatusOK {
					b.Fatalf("%s: %d %.300s", p.path, res.status, res.body)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
