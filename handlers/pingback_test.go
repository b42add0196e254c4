package handlers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// sourceSite serves the pages that link (or not) to the blog's posts.
func sourceSite(t *testing.T, pages map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			http.Error(w, "gone", http.StatusGone)
			return
		}
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func linkbacksOf(t *testing.T, e *testEnv, kind models.FeedbackKind) []models.QueueItem {
	t.Helper()
	var out []models.QueueItem
	for _, st := range models.ModerationStatuses {
		items, err := e.store.Queue(context.Background(), models.QueueFilter{Status: st, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, items...)
	}
	return out
}

func TestPingbackReceive(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	path := e.publish(c, "Pinged", "x", nil)
	closed := e.publish(c, "Closed", "x", noPings())
	target := testBaseURL + path
	src := sourceSite(t, map[string]string{
		"/links":  `<html><head><title>Their &amp; post</title></head><body><p>I read <a href="` + target + `">this post</a> today.</p></body></html>`,
		"/closed": `<a href="` + testBaseURL + closed + `">x</a>`,
		"/nolink": `<p>no link here</p>`,
	})
	res, err := e.rpc("pingback.ping", src.URL+"/links", target)
	if err != nil {
		t.Fatalf("pingback: %v", err)
	}
	if want := "Pingback from " + src.URL + "/links to " + target + " registered."; res != want {
		t.Errorf("result %q, want %q", res, want)
	}
	got := linkbacksOf(t, e, models.FeedbackPingback)
	if len(got) != 1 {
		t.Fatalf("%d pingbacks stored", len(got))
	}
	if f := got[0]; f.Title != "Their & post" || f.Content != "I read this post today." || f.Status != models.ModPending ||
		f.Verification != models.VerificationVerified || f.SourceURL != src.URL+"/links" || f.IP == "" {
		t.Errorf("stored %+v", f.Feedback)
	}

	tests := []struct {
		name           string
		setup          func()
		source, target string
		code           int
	}{
		{"already registered", nil, src.URL + "/links", target, xmlrpcapi.FaultAlreadyRegistered},
		{"no link to the target", nil, src.URL + "/nolink", target, xmlrpcapi.FaultNoLink},
		{"source missing (404)", nil, src.URL + "/missing", target, xmlrpcapi.FaultSourceMissing},
		{"source not http", nil, "ftp://src.example/x", target, xmlrpcapi.FaultSourceMissing},
		{"source with userinfo", nil, "http://u:p@src.example/x", target, xmlrpcapi.FaultSourceMissing},
		{"source too long", nil, "http://src.example/" + strings.Repeat("a", 2100), target, xmlrpcapi.FaultSourceMissing},
		{"unknown post", nil, src.URL + "/links", testBaseURL + "/2026/11/no-such-post", xmlrpcapi.FaultTargetMissing},
		{"unknown page", nil, src.URL + "/links", testBaseURL + "/no-such-page", xmlrpcapi.FaultTargetMissing},
		{"home page", nil, src.URL + "/links", testBaseURL + "/", xmlrpcapi.FaultTargetInvalid},
		{"another site", nil, src.URL + "/links", "http://elsewhere.example" + path, xmlrpcapi.FaultTargetInvalid},
		{"pings closed on the post", nil, src.URL + "/closed", testBaseURL + closed, xmlrpcapi.FaultTargetInvalid},
		{"source is the target", nil, target, target, xmlrpcapi.FaultPingGeneric},
		{"blocked domain", func() { e.setSite(func(s *models.Site) { s.BlockList = []string{"spam.example"} }) },
			"https://www.spam.example/x", target, xmlrpcapi.FaultAccessDenied},
		{"pings off for the site", func() { e.setSite(func(s *models.Site) { s.BlockList, s.PingsEnabled = nil, false }) },
			src.URL + "/links", target, xmlrpcapi.FaultTargetInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			_, err := e.rpc("pingback.ping", tt.source, tt.target)
			var f *xmlrpc.Fault
			if !errors.As(err, &f) || f.Code != tt.code {
				t.Fatalf("got %v, want fault %d", err, tt.code)
			}
			// Fixed sentences only: no Go error text, no addresses probed.
			if strings.Contains(f.Message, "trackback:") || strings.Contains(f.Message, "127.0.0.1") || f.Message == "" {
				t.Errorf("fault message %q", f.Message)
			}
			if n := len(linkbacksOf(t, e, models.FeedbackPingback)); n != 1 {
				t.Errorf("%d pingbacks stored", n)
			}
		})
	}
}

// noPings is the editor form that turns pings off for one post.
func noPings() map[string][]string { return map[string][]string{"allow_pings": {""}} }

func TestPingbackAutoApproveAndRateLimit(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 2})
	c, _ := e.admin()
	target := testBaseURL + e.publish(c, "Busy", "x", nil)
	link := `<a href="` + target + `">x</a>`
	src := sourceSite(t, map[string]string{"/a": link, "/b": link, "/c": link})
	e.setSite(func(s *models.Site) { s.ModerateAll = false })
	if _, err := e.rpc("pingback.ping", src.URL+"/a", target); err != nil {
		t.Fatal(err)
	}
	if got := linkbacksOf(t, e, models.FeedbackPingback); len(got) != 1 || got[0].Status != models.ModApproved {
		t.Fatalf("with moderation off a verified pingback goes live: %+v", got)
	}
	if _, err := e.rpc("pingback.ping", src.URL+"/b", target); err != nil {
		t.Fatal(err)
	}
	_, err := e.rpc("pingback.ping", src.URL+"/c", target)
	wantFault(t, err, xmlrpcapi.FaultAccessDenied, "too many pingbacks")
}

// TestRefusedLinkbacksFetchNothing: a blocked, repeated or self-made
// pingback is refused before the source is fetched, so the endpoint cannot
// be used to make the blog send requests.
func TestRefusedLinkbacksFetchNothing(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	target := testBaseURL + e.publish(c, "Fetched", "x", nil)
	var hits atomic.Int64
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprintf(w, `<a href="%s">x</a>`, target)
	}))
	defer src.Close()
	if _, err := e.rpc("pingback.ping", src.URL+"/ok", target); err != nil {
		t.Fatalf("first pingback: %v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("the first pingback fetched its source %d times", hits.Load())
	}
	host, _, _ := net.SplitHostPort(strings.TrimPrefix(src.URL, "http://"))
	e.setSite(func(s *models.Site) { s.BlockList = []string{"other.example"} })
	cases := []struct {
		name, source string
		code         int
		setup        func()
	}{
		{"repeated", src.URL + "/ok", xmlrpcapi.FaultAlreadyRegistered, nil},
		{"blocked host", src.URL + "/new", xmlrpcapi.FaultAccessDenied, func() { e.setSite(func(s *models.Site) { s.BlockList = []string{host} }) }},
	}
	for _, tc := range cases {
		if tc.setup != nil {
			tc.setup()
		}
		_, err := e.rpc("pingback.ping", tc.source, target)
		var f *xmlrpc.Fault
		if !errors.As(err, &f) || f.Code != tc.code {
			t.Errorf("%s: %v, want fault %d", tc.name, err, tc.code)
		}
	}
	if hits.Load() != 1 {
		t.Errorf("refused pingbacks fetched their source: %d fetches in all", hits.Load())
	}
}
