package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

func TestSetup(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if res := e.get(c, "/setup"); res.status != http.StatusForbidden {
		t.Errorf("setup without token: %d, want 403", res.status)
	}
	if res := e.get(c, "/setup?token=wrong"); res.status != http.StatusForbidden {
		t.Errorf("setup with a wrong token: %d, want 403", res.status)
	}
	page := e.get(c, "/setup?token="+e.token)
	if page.status != http.StatusOK {
		t.Fatalf("setup page: %d", page.status)
	}
	bad := e.do(c, "POST", "/setup", url.Values{"csrf_token": {csrfFrom(t, page.body)}, "token": {e.token},
		"title": {"My Blog"}, "name": {"owner"}, "email": {"not-an-email"}, "password": {"short"}})
	if bad.status != http.StatusBadRequest {
		t.Fatalf("invalid setup: %d", bad.status)
	}
	mustContain(t, bad.body, "That does not look like an email address.", "at least 10 characters", `value="My Blog"`, `value="owner"`)

	ok := e.do(c, "POST", "/setup", url.Values{"csrf_token": {csrfFrom(t, page.body)}, "token": {e.token},
		"title": {"My Blog"}, "tagline": {"Notes"}, "name": {"owner"}, "email": {"owner@example.com"}, "password": {testPassword}})
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/admin" {
		t.Fatalf("setup: %d %s", ok.status, ok.header.Get("Location"))
	}
	dash := e.get(c, "/admin")
	if dash.status != http.StatusOK {
		t.Fatalf("dashboard after setup: %d", dash.status)
	}
	mustContain(t, dash.body, "Your blog is ready", "My Blog")
	if res := e.get(e.client(), "/setup?token="+e.token); res.status != http.StatusForbidden {
		t.Errorf("setup once a user exists: %d, want 403", res.status)
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	_, _ = e.admin()
	tests := []struct {
		name     string
		login    string
		password string
		status   int
		message  string
	}{
		{"wrong password", "admin", "wrong password", http.StatusUnauthorized, "That user name or password is not right."},
		{"unknown user", "nobody", testPassword, http.StatusUnauthorized, "That user name or password is not right."},
		{"by email", "admin@example.com", testPassword, http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.client()
			res := e.post(c, "/login", "/login", url.Values{"login": {tt.login}, "password": {tt.password}})
			if res.status != tt.status {
				t.Fatalf("status %d, want %d", res.status, tt.status)
			}
			mustContain(t, res.body, tt.message)
		})
	}
	t.Run("open redirect refused", func(t *testing.T) {
		res := e.post(e.client(), "/login", "/login", url.Values{"login": {"admin"}, "password": {testPassword}, "next": {"//evil.example/x"}})
		if loc := res.header.Get("Location"); loc != "/" {
			t.Errorf("next=//evil.example led to %q", loc)
		}
	})
	t.Run("rate limited per account", func(t *testing.T) {
		c := e.client()
		var last response
		for i := 0; i < 8; i++ {
			last = e.post(c, "/login", "/login", url.Values{"login": {"admin"}, "password": {"guess " + string(rune('a'+i))}})
		}
		if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
			t.Fatalf("8th bad attempt: %d, Retry-After %q", last.status, last.header.Get("Retry-After"))
		}
		// Even the right password waits: the limit is per account.
		if res := e.post(c, "/login", "/login", url.Values{"login": {"admin"}, "password": {testPassword}}); res.status != http.StatusTooManyRequests {
			t.Errorf("right password while limited: %d", res.status)
		}
	})
}

func TestAdminNeedsLogin(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/admin", "/admin/posts", "/admin/posts/new", "/admin/queue", "/admin/settings"} {
		res := e.get(e.client(), path)
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login?next=") {
			t.Errorf("GET %s logged out: %d %q", path, res.status, res.header.Get("Location"))
		}
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	t.Run("missing token", func(t *testing.T) {
		res := e.do(c, "POST", "/admin/settings", url.Values{"title": {"Hacked"}, "posts_per_page": {"5"}})
		if res.status != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.status)
		}
	})
	t.Run("cross-origin browser post", func(t *testing.T) {
		form := url.Values{"title": {"Hacked"}, "posts_per_page": {"5"}, "csrf_token": {csrfFrom(t, e.get(c, "/admin/settings").body)}}
		res := e.do(c, "POST", "/admin/settings", form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
		if res.status != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.status)
		}
	})
	site, _ := e.store.Settings(context.Background())
	if models.SiteFromSettings(site).Title == "Hacked" {
		t.Fatal("a forged request changed the settings")
	}
}

func TestWriteAndRead(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	reader := e.client()
	path := e.publish(c, "Hello World", "Some *Markdown* with a [link](https://other.example/x).\n\n<script>alert(1)</script>", url.Values{"tags": {"Go, Web Dev"}})
	if path != "/2026/11/hello-world" {
		t.Fatalf("permalink = %s", path)
	}
	post := e.get(reader, path)
	if post.status != http.StatusOK {
		t.Fatalf("post page: %d", post.status)
	}
	mustContain(t, post.body, "<em>Markdown</em>", `href="https://other.example/x"`, `href="/tag/web-dev"`, `<link rel="canonical" href="http://blog.test/2026/11/hello-world">`)
	mustNotContain(t, post.body, "<script>alert(1)")

	tests := []struct {
		path, want string
	}{
		{"/", "Hello World"},
		{"/tag/go", "Posts tagged #Go"},
		{"/2026/11", "Posts from November 2026"},
	}
	for _, tt := range tests {
		res := e.get(reader, tt.path)
		if res.status != http.StatusOK {
			t.Errorf("%s: %d", tt.path, res.status)
		}
		mustContain(t, res.body, tt.want, `href="`+path+`"`)
	}
	rss := e.get(reader, "/feed")
	if ct := rss.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/rss+xml") {
		t.Errorf("rss content type %q", ct)
	}
	mustContain(t, rss.body, "<rss", "<title>Hello World</title>", "http://blog.test/2026/11/hello-world")
	atom := e.get(reader, "/tag/go/feed/atom")
	mustContain(t, atom.body, `<feed xmlns="http://www.w3.org/2005/Atom"`, "Hello World")
	if res := e.get(reader, "/tag/web-dev/feed"); !strings.Contains(res.body, "Hello World") {
		t.Errorf("tag feed lacks the post")
	}
	if res := e.get(reader, "/tag/nothing"); res.status != http.StatusNotFound {
		t.Errorf("unknown tag: %d", res.status)
	}
}

func TestDraftScheduleUnpublish(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	reader := e.client()
	res := e.post(c, "/admin/posts/new", "/admin/posts", url.Values{"title": {"Secret"}, "body": {"x"}, "status": {"draft"}, "kind": {"post"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save draft: %d", res.status)
	}
	if got := e.get(reader, "/"); strings.Contains(got.body, "Secret") {
		t.Error("a draft shows on the home page")
	}
	// Schedule it for an hour from now.
	draft, _ := e.store.PostByID(context.Background(), 1)
	at := e.clock.Now().Add(time.Hour).Format("2006-01-02T15:04")
	res = e.post(c, "/admin/posts/1/edit", "/admin/posts/1", url.Values{"title": {"Secret"}, "slug": {draft.Slug}, "body": {"x"}, "status": {"published"}, "publish_at": {at}, "kind": {"post"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("schedule: %d", res.status)
	}
	if p, _ := e.store.PostByID(context.Background(), 1); p.Status != models.StatusScheduled {
		t.Fatalf("a future date must schedule, got %s", p.Status)
	}
	if got := e.get(reader, "/2026/11/secret"); got.status != http.StatusNotFound {
		t.Errorf("scheduled post visible early: %d", got.status)
	}
	e.clock.Advance(2 * time.Hour)
	if due, err := e.store.PublishDue(context.Background()); err != nil || len(due) != 1 {
		t.Fatalf("PublishDue: %v %d", err, len(due))
	}
	if got := e.get(reader, "/2026/11/secret"); got.status != http.StatusOK {
		t.Errorf("scheduled post after its time: %d", got.status)
	}
	// Unpublish: back to draft, gone for readers.
	res = e.post(c, "/admin/posts/1/edit", "/admin/posts/1", url.Values{"title": {"Secret"}, "slug": {"secret"}, "body": {"x"}, "status": {"draft"}, "kind": {"post"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("unpublish: %d", res.status)
	}
	if got := e.get(reader, "/2026/11/secret"); got.status != http.StatusNotFound {
		t.Errorf("unpublished post still visible: %d", got.status)
	}
}

func TestEditorBadInput(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "Taken", "first", nil)
	long := "A long text that must survive " + strings.Repeat("word ", 100)
	tests := []struct {
		name    string
		form    url.Values
		message string
	}{
		{"missing title", url.Values{"title": {""}, "body": {long}}, "A title is required."},
		{"duplicate slug", url.Values{"title": {"Other"}, "slug": {"taken"}, "body": {long}}, "Another post already uses this slug."},
		{"bad slug", url.Values{"title": {"Other"}, "slug": {"Not OK"}, "body": {long}}, "Use lower-case letters"},
		{"scheduled without a time", url.Values{"title": {"Other"}, "status": {"scheduled"}, "body": {long}}, "Choose when the post should go live."},
		{"bad date", url.Values{"title": {"Other"}, "status": {"scheduled"}, "publish_at": {"tomorrow"}, "body": {long}}, "YYYY-MM-DDTHH:MM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("kind", "post")
			res := e.failedSave(c, "/admin/posts/new", "/admin/posts", tt.form)
			mustContain(t, res.body, tt.message, strings.TrimSpace(long[:60]))
		})
	}
}

func TestExpiredSessionKeepsText(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	token := csrfFrom(t, e.get(c, "/admin/posts/new").body)
	text := "Precious paragraph that took an hour to write & <b>more</b>"
	// The session is gone (cookie expired or cleared) when Save is pressed.
	expired := e.client()
	res := e.do(expired, "POST", "/admin/posts", url.Values{"csrf_token": {token}, "kind": {"post"},
		"title": {"My essay"}, "body": {text}, "status": {"draft"}})
	if res.status != http.StatusUnauthorized {
		t.Fatalf("save with an expired session: %d", res.status)
	}
	mustContain(t, res.body, "Your session expired", `name="resume"`)
	// Log in again from that page: the editor comes back with the text, unsaved.
	resume := regexpValue(t, res.body, "resume")
	back := e.do(expired, "POST", "/login", url.Values{"csrf_token": {csrfFrom(t, res.body)}, "login": {"admin"},
		"password": {testPassword}, "resume": {resume}, "next": {"/admin/posts/new"}})
	if back.status != http.StatusOK {
		t.Fatalf("login with resume: %d", back.status)
	}
	mustContain(t, back.body, "Here is your text as you left it", `value="My essay"`,
		"Precious paragraph that took an hour to write &amp; &lt;b&gt;more&lt;/b&gt;")
	// And saving it now works with the new session's token.
	save := e.do(expired, "POST", "/admin/posts", url.Values{"csrf_token": {csrfFrom(t, back.body)}, "kind": {"post"},
		"title": {"My essay"}, "body": {text}, "status": {"draft"}})
	if save.status != http.StatusSeeOther {
		t.Fatalf("save after re-login: %d", save.status)
	}
}

func regexpValue(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`" value="`)
	if i < 0 {
		t.Fatalf("no %s field", name)
	}
	rest := body[i+len(`name="`+name+`" value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}

func TestSlugRenameRedirects(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "First Name", "body", nil)
	res := e.post(c, "/admin/posts/1/edit", "/admin/posts/1", url.Values{"title": {"Second Name"}, "slug": {"second-name"}, "body": {"body"}, "status": {"published"}, "kind": {"post"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("rename: %d", res.status)
	}
	old := e.get(e.client(), path)
	if old.status != http.StatusMovedPermanently || old.header.Get("Location") != "/2026/11/second-name" {
		t.Errorf("old slug: %d → %q", old.status, old.header.Get("Location"))
	}
	if res := e.get(e.client(), "/2025/01/second-name"); res.status != http.StatusMovedPermanently {
		t.Errorf("wrong date in the path should redirect to the permalink: %d", res.status)
	}
}

func TestPagesAndNotFound(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	res := e.post(c, "/admin/posts/new?kind=page", "/admin/posts", url.Values{"kind": {"page"}, "title": {"About me"}, "slug": {"about"}, "body": {"I write."}, "status": {"published"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create page: %d %.300s", res.status, res.body)
	}
	reader := e.client()
	if page := e.get(reader, "/about"); page.status != http.StatusOK || !strings.Contains(page.body, "I write.") {
		t.Errorf("/about: %d", page.status)
	}
	if home := e.get(reader, "/"); strings.Contains(home.body, `<h2><a class="p-name u-url" href="/about">`) ||
		!strings.Contains(home.body, `<a href="/about">About me</a>`) {
		t.Error("a page is listed among posts, or missing from the menu")
	}
	if feed := e.get(reader, "/feed"); strings.Contains(feed.body, "About me") {
		t.Error("a page is in the feed")
	}
	for _, path := range []string{"/nothing-here", "/2026/11/nothing", "/a/b/c/d", "/2026/13"} {
		res := e.get(reader, path)
		if res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
		mustContain(t, res.body, "Page not found", "<!DOCTYPE html>")
	}
}

func TestDeletePost(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Doomed", "x", nil)
	confirm := e.get(c, "/admin/posts/1/delete")
	mustContain(t, confirm.body, "Move “Doomed” to the trash?", `action="/admin/posts/1/delete"`)
	if got := e.get(e.client(), path); got.status != http.StatusOK {
		t.Fatalf("the confirmation page must not delete: %d", got.status)
	}
	res := e.post(c, "/admin/posts/1/delete", "/admin/posts/1/delete", nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.status)
	}
	if got := e.get(e.client(), path); got.status != http.StatusNotFound {
		t.Errorf("deleted post: %d", got.status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	res := e.get(e.client(), "/")
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	} {
		if !strings.Contains(res.header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, res.header.Get(h), want)
		}
	}
}
