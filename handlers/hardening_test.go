package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

func TestNoOpenRedirectAfterLogin(t *testing.T) {
	e := newEnv(t)
	e.admin()
	for _, next := range []string{"//evil.example/x", "/\t/evil.example", "/\\evil.example", "https://evil.example/",
		"/\n/evil.example", "javascript:alert(1)", "evil.example"} {
		t.Run(fmt.Sprintf("%q", next), func(t *testing.T) {
			e.clock.Advance(time.Minute) // stay under the login rate limit
			res := e.post(e.client(), "/login", "/login", url.Values{"login": {"admin"}, "password": {testPassword}, "next": {next}})
			if loc := res.header.Get("Location"); loc != "/" {
				t.Errorf("next=%q led to %q", next, loc)
			}
		})
	}
	e.clock.Advance(time.Minute)
	res := e.post(e.client(), "/login", "/login", url.Values{"login": {"admin"}, "password": {testPassword}, "next": {"/admin/queue?status=spam&kind=trackback"}})
	if loc := res.header.Get("Location"); loc != "/admin/queue?status=spam&kind=trackback" {
		t.Errorf("a local path with a query was refused: %q", loc)
	}
	back := e.get(e.client(), "/admin/queue?status=spam&kind=trackback")
	if loc := back.header.Get("Location"); loc != "/login?next=%2Fadmin%2Fqueue%3Fstatus%3Dspam%26kind%3Dtrackback" {
		t.Errorf("login redirect lost the query: %q", loc)
	}
}

func TestHugeLoginNameIsRefusedCheaply(t *testing.T) {
	e := newEnv(t)
	e.admin()
	res := e.post(e.client(), "/login", "/login", url.Values{"login": {strings.Repeat("a", 3<<20)}, "password": {"x"}})
	if res.status != http.StatusUnauthorized || strings.Contains(res.body, strings.Repeat("a", 1000)) {
		t.Errorf("huge login name: %d, echoed back: %v", res.status, strings.Contains(res.body, strings.Repeat("a", 1000)))
	}
	big := e.do(e.client(), "POST", "/login", url.Values{"login": {strings.Repeat("a", 5<<20)}})
	if big.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 5 MB form: %d, want 413", big.status)
	}
}

func TestLogoutAndPasswordChangeEndSessions(t *testing.T) {
	e := newEnv(t)
	c, u := e.admin()
	stolen := e.client()
	srvURL, _ := url.Parse(e.srv.URL)
	stolen.Jar.SetCookies(srvURL, c.Jar.Cookies(srvURL)) // a copy of the cookie
	if res := e.get(stolen, "/admin"); res.status != http.StatusOK {
		t.Fatalf("copied cookie before logout: %d", res.status)
	}
	if res := e.post(c, "/admin", "/logout", nil); res.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.status)
	}
	if res := e.get(stolen, "/admin"); res.status != http.StatusSeeOther {
		t.Errorf("a cookie saved before logout still works: %d", res.status)
	}

	c2 := e.client()
	e.post(c2, "/login", "/login", url.Values{"login": {"admin"}, "password": {testPassword}})
	if res := e.get(c2, "/admin"); res.status != http.StatusOK {
		t.Fatalf("login again: %d", res.status)
	}
	hash, _ := models.HashPassword("a brand new password")
	if err := e.store.SetPasswordHash(context.Background(), u.ID, hash); err != nil {
		t.Fatal(err)
	}
	if res := e.get(c2, "/admin"); res.status != http.StatusSeeOther {
		t.Errorf("a session survived a password change: %d", res.status)
	}
}

func TestNonASCIISlug(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "日本語のタイトル", "本文", nil)
	res := e.get(e.client(), path)
	if res.status != http.StatusOK || !strings.Contains(res.body, "本文") {
		t.Fatalf("GET %s: %d (Location %q)", path, res.status, res.header.Get("Location"))
	}
}

func TestHeadAndWrongMethods(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Headed", "x", nil)
	for _, p := range []string{"/", "/feed", "/feed/atom", path, "/tag/x"} {
		res := e.do(e.client(), "HEAD", p, nil)
		want := http.StatusOK
		if p == "/tag/x" {
			want = http.StatusNotFound
		}
		if res.status != want || res.body != "" {
			t.Errorf("HEAD %s: %d with %d bytes", p, res.status, len(res.body))
		}
	}
	for _, tc := range []struct{ method, path string }{{"PUT", "/trackback/1"}, {"GET", "/trackback/1/x"}, {"DELETE", "/trackback/1"}} {
		res := e.do(e.client(), tc.method, tc.path, nil)
		if res.status != http.StatusNotFound || !strings.Contains(res.body, "<error>1</error>") {
			t.Errorf("%s %s: %d %q", tc.method, tc.path, res.status, res.body)
		}
	}
	if res := e.do(e.client(), "DELETE", path, nil); res.status != http.StatusNotFound || !strings.Contains(res.body, "Page not found") {
		t.Errorf("DELETE on a post: %d", res.status)
	}
}

func TestPingContentTypeAndPostLimitOrder(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 2})
	c, _ := e.admin()
	e.publish(c, "Guarded", "x", nil)
	res := e.raw("POST", pingURL, "application/json", []byte(`{"url":"https://j.example/"}`))
	if !strings.Contains(res.body, "application/x-www-form-urlencoded") {
		t.Errorf("JSON ping: %q", res.body)
	}
	for i := 0; i < 5; i++ { // garbage must not use up the post's allowance
		e.raw("POST", pingURL, formCT, []byte("title=no+url"))
	}
	for i := 0; i < 2; i++ {
		if res := e.raw("POST", pingURL, formCT, encodeForm(t, nil, "url", fmt.Sprintf("https://real%d.example/", i))); res.body != okXML {
			t.Errorf("real ping %d after garbage: %d %q", i, res.status, res.body)
		}
	}
}

// TestRemotePublishQueuesAndWakesTheOutbox: a post published over XML-RPC
// queues its notifications in the same save and wakes the outbox at once.
func TestRemotePublishQueuesAndWakesTheOutbox(t *testing.T) {
	e := newEnv(t)
	_, u := e.admin()
	before := e.wakes.Load()
	id := e.mustRPC("metaWeblog.newPost", "1", u.Name, testPassword, map[string]any{"title": "Remote",
		"description": `See <a href="https://other.example/entry">this</a>.`, "mt_tb_ping_urls": []any{"https://tb.example/ping/1"}}, true).(string)
	if e.wakes.Load() == before {
		t.Error("publishing over XML-RPC did not wake the outbox")
	}
	postID, _ := strconv.ParseInt(id, 10, 64)
	ns, err := e.store.PostNotifications(context.Background(), postID)
	if err != nil || len(ns) != 2 {
		t.Fatalf("notifications queued by the remote publish: %+v %v", ns, err)
	}
	if ns[0].TargetURL != "https://tb.example/ping/1" || !ns[0].Direct || ns[1].TargetURL != "https://other.example/entry" {
		t.Errorf("targets: %+v", ns)
	}
}

func TestAdminPagesAreNotCached(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	for _, path := range []string{"/admin", "/admin/app-passwords", "/admin/posts/new"} {
		if cc := e.get(c, path).header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
	}
}

// TestParallelRemoteCallsAreNotRateLimited: an editor sending several calls
// at once with the right password is never refused; wrong passwords are.
func TestParallelRemoteCallsAreNotRateLimited(t *testing.T) {
	e := newEnv(t)
	_, u := e.admin()
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for range 12 {
		wg.Go(func() {
			_, err := e.rpc("blogger.getUsersBlogs", "", u.Name, testPassword)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a parallel call with the right password failed: %v", err)
		}
	}
	var last error
	for range 8 {
		_, last = e.rpc("blogger.getUsersBlogs", "", u.Name, "wrong password")
	}
	var f *xmlrpc.Fault
	if !errors.As(last, &f) || f.Code != xmlrpcapi.FaultRateLimit {
		t.Errorf("8th wrong password: %v, want fault %d", last, xmlrpcapi.FaultRateLimit)
	}
}
