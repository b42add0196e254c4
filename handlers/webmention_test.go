package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

func (e *testEnv) webmention(source, target string) response {
	e.t.Helper()
	return e.do(e.client(), "POST", "/webmention", url.Values{"source": {source}, "target": {target}})
}

func TestWebmentionReceive(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	path := e.publish(c, "Mentioned", "x", nil)
	closed := e.publish(c, "Closed", "x", noPings())
	target := testBaseURL + path
	res := e.webmention("https://src.example/reply", target+"#comments")
	if res.status != http.StatusCreated || !strings.Contains(res.body, "accepted") {
		t.Fatalf("webmention: %d %q", res.status, res.body)
	}
	got := linkbacksOf(t, e, models.FeedbackWebmention)
	if len(got) != 1 || got[0].Status != models.ModPending || got[0].Verification != models.VerificationPending ||
		got[0].SourceURL != "https://src.example/reply" || got[0].PostID != 1 || got[0].TargetURL != target {
		t.Fatalf("stored %+v", got)
	}
	location := res.header.Get("Location")
	if location != testBaseURL+"/webmention/status/"+got[0].StatusToken || len(got[0].StatusToken) < 20 {
		t.Fatalf("Location %q for token %q", location, got[0].StatusToken)
	}

	tests := []struct {
		name           string
		setup          func()
		source, target string
		msg            string
	}{
		{"no source", nil, "", target, "source and target"},
		{"no target", nil, "https://src.example/a", "", "source and target"},
		{"source not http", nil, "javascript:alert(1)", target, "source is not a valid"},
		{"source with userinfo", nil, "https://u:p@src.example/", target, "source is not a valid"},
		{"target not a URL", nil, "https://src.example/a", "not a url", "target is not a valid"},
		{"source is the target", nil, target, target + "#x", "same URL"},
		{"unknown post", nil, "https://src.example/a", testBaseURL + "/2026/11/nope", "not a post on this blog"},
		{"home page", nil, "https://src.example/a", testBaseURL + "/", "does not accept"},
		{"another site", nil, "https://src.example/a", "https://elsewhere.example" + path, "does not accept"},
		{"pings closed", nil, "https://src.example/a", testBaseURL + closed, "does not accept"},
		{"blocked source", func() { e.setSite(func(s *models.Site) { s.BlockList = []string{"spam.example"} }) },
			"https://spam.example/a", target, "not accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			res := e.webmention(tt.source, tt.target)
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, tt.msg) ||
				!strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") {
				t.Fatalf("%d %q (%s), want 400 with %q", res.status, res.body, res.header.Get("Content-Type"), tt.msg)
			}
			if n := len(linkbacksOf(t, e, models.FeedbackWebmention)); n != 1 {
				t.Errorf("%d webmentions stored", n)
			}
		})
	}

	t.Run("too large", func(t *testing.T) {
		big := "source=https%3A%2F%2Fsrc.example%2F&target=" + url.QueryEscape(target) + "&pad=" + strings.Repeat("x", 70<<10)
		if res := e.raw("POST", "/webmention", formCT, []byte(big)); res.status != http.StatusRequestEntityTooLarge {
			t.Errorf("%d", res.status)
		}
	})

	t.Run("re-sent updates the stored one", func(t *testing.T) {
		ctx := context.Background()
		id := got[0].ID
		if err := e.store.FinishVerification(ctx, id, models.VerificationVerified, "", true); err != nil {
			t.Fatal(err)
		}
		res := e.webmention("https://SRC.example/reply", target)
		if res.status != http.StatusCreated || res.header.Get("Location") != location {
			t.Fatalf("re-send: %d %q, Location %q", res.status, res.body, res.header.Get("Location"))
		}
		again := linkbacksOf(t, e, models.FeedbackWebmention)
		if len(again) != 1 || again[0].ID != id || again[0].Verification != models.VerificationRecheck ||
			again[0].Status != models.ModApproved {
			t.Fatalf("after re-send: %+v", again)
		}
	})
}

func TestWebmentionRateLimited(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 2})
	c, _ := e.admin()
	target := testBaseURL + e.publish(c, "Hot", "x", nil)
	for i, want := range []int{201, 201, 429} {
		res := e.webmention("https://s"+string(rune('a'+i))+".example/", target)
		if res.status != want || want == 429 && res.header.Get("Retry-After") == "" {
			t.Fatalf("mention %d: %d %q", i, res.status, res.body)
		}
	}
}

// TestWebmentionVerifiedInBackground runs the real verifier on mentions
// received through the endpoint.
func TestWebmentionVerifiedInBackground(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	target := testBaseURL + e.publish(c, "Checked", "x", nil)
	pages := map[string]string{"/reply": `<title>A reply</title><p>About <a href="` + target + `">that</a>.</p>`, "/nolink": `<p>not any more</p>`}
	src := sourceSite(t, pages)
	for _, p := range []string{"/reply", "/gone", "/nolink"} {
		if res := e.webmention(src.URL+p, target); res.status != http.StatusCreated {
			t.Fatalf("%s: %d", p, res.status)
		}
	}
	v := &jobs.Verifier{Store: e.store, Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}),
		BaseURL: testBaseURL, Log: slog.New(slog.DiscardHandler), Now: e.clock.Now, Changed: e.pages.InvalidatePost}
	v.RunOnce(context.Background())
	got := map[string]models.QueueItem{}
	for _, f := range linkbacksOf(t, e, models.FeedbackWebmention) {
		got[strings.TrimPrefix(f.SourceURL, src.URL)] = f
	}
	if r := got["/reply"]; len(got) != 3 || r.Title != "A reply" || r.Content != "About that." ||
		r.Verification != models.VerificationVerified {
		t.Fatalf("after verification: %+v", got)
	}
	if g, n := got["/gone"], got["/nolink"]; g.Verification != "failed: the source is gone" ||
		n.Verification != "failed: the source does not link to the target" {
		t.Errorf("refused: %q, %q", g.Verification, n.Verification)
	}
}

// TestQueueListsPingbacksAndWebmentions: the moderation queue's kind filter.
func TestQueueListsPingbacksAndWebmentions(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	target := testBaseURL + e.publish(c, "Queued", "x", nil)
	src := sourceSite(t, map[string]string{"/pb": `<title>Pingback page</title><a href="` + target + `">x</a>`})
	if _, err := e.rpc("pingback.ping", src.URL+"/pb", target); err != nil {
		t.Fatal(err)
	}
	if res := e.webmention("https://mention.example/wm", target); res.status != http.StatusCreated {
		t.Fatal(res.status)
	}
	all := e.get(c, "/admin/queue")
	mustContain(t, all.body, "Pingback page", "https://mention.example/wm")
	pb := e.get(c, "/admin/queue?kind=pingback")
	mustContain(t, pb.body, "Pingback page")
	mustNotContain(t, pb.body, "https://mention.example/wm")
	wm := e.get(c, "/admin/queue?kind=webmention")
	mustContain(t, wm.body, "https://mention.example/wm")
	mustNotContain(t, wm.body, "Pingback page")
}

func TestPostPageAdvertisesPingbackAndWebmention(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	open := e.publish(c, "Open", "x", nil)
	closed := e.publish(c, "Shut", "x", noPings())
	tests := []struct {
		name, path string
		want       bool
	}{{"accepts pings", open, true}, {"pings off", closed, false}, {"home page", "/", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{"GET", "HEAD"} {
				res := e.do(e.client(), method, tt.path, nil)
				if res.status != http.StatusOK {
					t.Fatalf("%s: %d", method, res.status)
				}
				pb, link := res.header.Get("X-Pingback"), res.header.Get("Link")
				if tt.want && (pb != testBaseURL+"/xmlrpc" || link != `<`+testBaseURL+`/webmention>; rel="webmention"`) ||
					!tt.want && (pb != "" || strings.Contains(link, "webmention")) {
					t.Errorf("%s: X-Pingback %q, Link %q", method, pb, link)
				}
				if method != "GET" {
					continue
				}
				tags := []string{`<link rel="pingback" href="http://blog.test/xmlrpc">`, `<link rel="webmention" href="http://blog.test/webmention">`}
				if tt.want {
					mustContain(t, res.body, tags...)
				} else {
					mustNotContain(t, res.body, tags...)
				}
			}
		})
	}
}

// TestLinkbacksFromTheBlogItself: a source on this blog is refused (the
// self-ping setting is off), so the blog cannot be made to mention itself.
func TestLinkbacksFromTheBlogItself(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	target := testBaseURL + e.publish(c, "Itself", "x", nil)
	for _, source := range []string{target + "/", target + "?a=1", testBaseURL + "/about"} {
		if res := e.webmention(source, target); res.status != http.StatusBadRequest {
			t.Errorf("webmention from %s: %d", source, res.status)
		}
		_, err := e.rpc("pingback.ping", source, target)
		var f *xmlrpc.Fault
		if !errors.As(err, &f) || f.Code != xmlrpcapi.FaultPingGeneric {
			t.Errorf("pingback from %s: %v", source, err)
		}
	}
}
