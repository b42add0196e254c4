package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// linksBody is Markdown linking to each of sites once.
func linksBody(sites []string) string {
	var b strings.Builder
	for i, s := range sites {
		fmt.Fprintf(&b, "- [site %d](%s/entry)\n", i, s)
	}
	return b.String()
}

// publishForm publishes a post through the editor and returns how long the
// writer waited for the answer.
func publishForm(tb testing.TB, e *testEnv, c *http.Client, token, title, body string) time.Duration {
	tb.Helper()
	form := url.Values{"csrf_token": {token}, "title": {title}, "body": {body}, "status": {"published"},
		"kind": {"post"}, "allow_pings": {"1"}}
	start := time.Now()
	res := e.do(c, "POST", "/admin/posts", form)
	took := time.Since(start)
	if res.status != http.StatusSeeOther {
		tb.Fatalf("publish: %d %.300s", res.status, res.body)
	}
	return took
}

// BenchmarkPublish200Links publishes, through the editor, posts with 200
// links each: the writer's wait includes rendering, storing the post and
// queuing its 200 notifications in the same transaction.
func BenchmarkPublish200Links(b *testing.B) {
	e := newEnv(b)
	c, _ := e.admin()
	token := csrfFrom(b, e.get(c, "/admin/posts/new").body)
	sites := make([]string, 200)
	for i := range sites {
		sites[i] = fmt.Sprintf("https://site%d.example", i)
	}
	body := linksBody(sites)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		publishForm(b, e, c, token, fmt.Sprintf("Two hundred links %d", i), body)
	}
	b.StopTimer()
	ns, err := e.store.PostNotifications(context.Background(), e.postID("two-hundred-links-1"))
	if err != nil || len(ns) != 200 {
		b.Fatalf("%d notifications queued, want 200 (%v)", len(ns), err)
	}
}

// BenchmarkNotify200SlowSites publishes, through the editor and with the
// outbox running, a post linking to 200 sites that each take 2 s to answer
// any request (the page fetch and the ping): it reports how long the writer
// waited and how long until every site had its TrackBack. Run it once:
//
//	go test -run '^$' -bench Notify200SlowSites -benchtime 1x ./handlers/
func BenchmarkNotify200SlowSites(b *testing.B) {
	const sites, delay = 200, 2 * time.Second
	urls := make([]string, sites)
	for i := range urls {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay) // a slow remote blog
			if r.Method == http.MethodGet {
				_, _ = io.WriteString(w, "<html><body>"+trackback.RDFBlock("http://"+r.Host+r.URL.Path, "Entry", "http://"+r.Host+"/tb")+"</body></html>")
				return
			}
			trackback.WriteSuccess(w)
		}))
		defer srv.Close()
		urls[i] = srv.URL
	}
	e := newEnv(b)
	o := &jobs.Outbox{Store: e.store, Posts: e.store, Settings: e.store, BaseURL: testBaseURL, Log: slog.New(slog.DiscardHandler),
		Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true})}
	e.outbox.Store(o)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	defer func() { stop(); <-done }()
	c, _ := e.admin()
	token := csrfFrom(b, e.get(c, "/admin/posts/new").body)
	body := linksBody(urls)

	var waited, allSent time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		waited += publishForm(b, e, c, token, fmt.Sprintf("Slow sites %d", i+1), body)
		id := e.postID(fmt.Sprintf("slow-sites-%d", i+1))
		for {
			ns, err := e.store.PostNotifications(context.Background(), id)
			if err != nil {
				b.Fatal(err)
			}
			sent := 0
			for _, n := range ns {
				switch n.State {
				case models.NotifySent:
					sent++
				case models.NotifyFailed, models.NotifyGaveUp, models.NotifyNoEndpoint:
					b.Fatalf("%s: %s %q", n.TargetURL, n.State, n.LastMessage)
				}
			}
			if sent == sites {
				break
			}
			if time.Since(start) > 3*time.Minute {
				b.Fatalf("only %d of %d sent after 3 minutes", sent, sites)
			}
			time.Sleep(50 * time.Millisecond)
		}
		allSent += time.Since(start)
	}
	perPost, notified := waited/time.Duration(b.N), allSent/time.Duration(b.N)
	b.ReportMetric(float64(perPost.Microseconds())/1000, "publish-ms")
	b.ReportMetric(notified.Seconds(), "all-notified-s")
	// Guards far above the figures measured (about 10 ms and 20 s), so a
	// slow CI machine passes but a regression to serial sending does not.
	if perPost > 500*time.Millisecond || notified > 45*time.Second {
		b.Errorf("publishing took %v and notifying every site %v", perPost, notified)
	}
}
