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
	"sync/atomic"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// notifications lists the stored notifications of a post as "url state".
func (e *testEnv) notifications(postID int64) []string {
	e.t.Helper()
	ns, err := e.store.PostNotifications(context.Background(), postID)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.TargetURL+" "+string(n.State))
	}
	return out
}

func (e *testEnv) postID(slug string) int64 {
	e.t.Helper()
	p, err := e.store.PostBySlug(context.Background(), models.KindPost, slug)
	if err != nil {
		e.t.Fatal(err)
	}
	return p.ID
}

const linkBody = "Read [a](https://a.example/post), [b](https://b.example/x?y=1&z=2), " +
	"[my older post](http://blog.test/2026/10/older) and [a again](https://a.example/post)."

func TestEditorListsSitesToNotify(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	form := url.Values{"title": {"Draft with links"}, "body": {linkBody}, "status": {"draft"}, "kind": {"post"},
		"ping_urls": {"https://tb.example/trackback/9"}, "action": {"preview"}}
	res := e.post(c, "/admin/posts/new", "/admin/posts", form)
	if res.status != http.StatusOK {
		t.Fatalf("preview: %d", res.status)
	}
	mustContain(t, res.body, `name="ping_urls"`, "https://tb.example/trackback/9</textarea>",
		`id="notify"`, `value="https://a.example/post" form="editor"`, `value="https://b.example/x?y=1&amp;z=2" form="editor"`,
		"will be notified", "(Send TrackBacks to)")
	mustNotContain(t, res.body, `value="http://blog.test/2026/10/older"`, `value="https://tb.example/trackback/9" form="editor"`, "data-refresh")
	if n := strings.Count(res.body, `name="skip_link"`); n != 2 {
		t.Errorf("%d leave-out boxes, want 2 (each link once, none for the direct URL)", n)
	}

	// Saved as a draft: nothing is queued, the list still shows what will be.
	form.Set("action", "save")
	form.Add("skip_link", "https://b.example/x?y=1&z=2")
	res = e.post(c, "/admin/posts/new", "/admin/posts", form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("save draft: %d %.300s", res.status, res.body)
	}
	var id int64
	if _, err := fmt.Sscanf(res.header.Get("Location"), "/admin/posts/%d/edit", &id); err != nil {
		t.Fatal(err)
	}
	if got := e.notifications(id); len(got) != 0 {
		t.Fatalf("a draft queued %q", got)
	}
	edit := e.get(c, res.header.Get("Location"))
	mustContain(t, edit.body, `value="https://b.example/x?y=1&amp;z=2" form="editor" checked`, "left out")

	// Self-pings on: the blog's own post is listed too.
	if err := e.store.SetSettings(context.Background(), map[string]string{models.SettingSelfPings: "true"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute) // past the settings cache
	mustContain(t, e.get(c, res.header.Get("Location")).body, `value="http://blog.test/2026/10/older" form="editor"`)
}

func TestPublishQueuesNotificationsAndWakesTheOutbox(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "Linking out", linkBody, url.Values{
		"ping_urls": {"https://tb.example/trackback/9"}, "skip_link": {"https://b.example/x?y=1&z=2"}})
	id := e.postID("linking-out")
	want := []string{"https://tb.example/trackback/9 queued", "https://a.example/post queued"}
	if got := e.notifications(id); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("queued %q, want %q", got, want)
	}
	if e.wakes.Load() == 0 {
		t.Error("publishing did not wake the outbox")
	}
	edit := e.get(c, fmt.Sprintf("/admin/posts/%d/edit", id))
	mustContain(t, edit.body, fmt.Sprintf(`data-refresh="/admin/posts/%d/notifications"`, id), "queued",
		`value="https://b.example/x?y=1&amp;z=2" form="editor" checked`)
	mustNotContain(t, edit.body, `value="https://a.example/post" form="editor"`)

	// Editing adds only the new link; the list page shows every state.
	form := url.Values{"title": {"Linking out"}, "body": {linkBody + " And [c](https://c.example/)."}, "status": {"published"},
		"kind": {"post"}, "ping_urls": {"https://tb.example/trackback/9"}, "skip_link": {"https://b.example/x?y=1&z=2"}, "allow_pings": {"1"}}
	res := e.post(c, fmt.Sprintf("/admin/posts/%d/edit", id), fmt.Sprintf("/admin/posts/%d", id), form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.status)
	}
	want = append(want, "https://c.example/ queued")
	if got := e.notifications(id); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after edit %q, want %q", got, want)
	}
	list := e.get(c, fmt.Sprintf("/admin/posts/%d/notifications", id))
	if list.status != http.StatusOK {
		t.Fatalf("notifications page: %d", list.status)
	}
	mustContain(t, list.body, `id="notify"`, "https://c.example/", "data-id=")
	if res := e.get(e.client(), fmt.Sprintf("/admin/posts/%d/notifications", id)); res.status == http.StatusOK {
		t.Error("the notifications page is open to strangers")
	}
}

func TestPingURLsAreValidated(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	form := url.Values{"title": {"Bad ping"}, "body": {"x"}, "status": {"published"}, "kind": {"post"},
		"ping_urls": {"https://ok.example/tb\njavascript:alert(1)"}}
	res := e.failedSave(c, "/admin/posts/new", "/admin/posts", form)
	mustContain(t, res.body, "is not an http or https address", "javascript:alert(1)</textarea>")
}

func TestRetryNotification(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "Refused", "See [a](https://a.example/).", nil)
	id := e.postID("refused")
	n := e.settleOne(models.NotificationResult{State: models.NotifyFailed, Message: "Refused: <b>spam</b>"})
	editPath := fmt.Sprintf("/admin/posts/%d/edit", id)
	edit := e.get(c, editPath)
	retryPath := fmt.Sprintf("/admin/notifications/%d/retry", n.ID)
	mustContain(t, edit.body, `action="`+retryPath+`"`, "Retry now", "failed", "Refused: &lt;b&gt;spam&lt;/b&gt;")
	mustNotContain(t, edit.body, "data-refresh")

	if res := e.do(c, "POST", retryPath, url.Values{}); res.status != http.StatusForbidden {
		t.Errorf("retry without the CSRF token: %d", res.status)
	}
	wakes := e.wakes.Load()
	res := e.post(c, editPath, retryPath, nil)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != editPath {
		t.Fatalf("retry: %d %s", res.status, res.header.Get("Location"))
	}
	if got := e.notifications(id); fmt.Sprint(got) != "[https://a.example/ queued]" || e.wakes.Load() == wakes {
		t.Errorf("after retry: %q, woken %v", got, e.wakes.Load() > wakes)
	}
	mustContain(t, e.get(c, editPath).body, "Sending again to https://a.example/.", "data-refresh")
	e.post(c, editPath, retryPath, nil)
	mustContain(t, e.get(c, editPath).body, "That notification is not waiting for a retry.")
	if res := e.post(c, editPath, "/admin/notifications/999/retry", nil); res.status != http.StatusNotFound {
		t.Errorf("unknown notification: %d", res.status)
	}
}

// TestPublishNotifiesRemoteBlog publishes through the editor with the
// outbox running and a remote blog serving a Movable Type entry.
func TestPublishNotifiesRemoteBlog(t *testing.T) {
	var pings atomic.Int64
	var got atomic.Pointer[url.Values]
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/entry.html":
			_, _ = io.WriteString(w, "<html><body>"+trackback.RDFBlock("http://"+r.Host+"/entry.html", "Entry", "http://"+r.Host+"/mt-tb.cgi/1")+"</body></html>")
		case r.Method == http.MethodPost && r.URL.Path == "/mt-tb.cgi/1":
			_ = r.ParseForm()
			pings.Add(1)
			got.Store(&r.PostForm)
			trackback.WriteSuccess(w)
		default:
			http.NotFound(w, r)
		}
	}))
	defer remote.Close()

	e := newEnv(t)
	o := &jobs.Outbox{Store: e.store, Posts: e.store, Settings: e.store, BaseURL: testBaseURL,
		Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}), Log: slog.New(slog.DiscardHandler)}
	e.outbox.Store(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	c, _ := e.admin()
	path := e.publish(c, "Hello remote", "I liked [this entry]("+remote.URL+"/entry.html).", nil)
	id := e.postID("hello-remote")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if ns := e.notifications(id); len(ns) == 1 && strings.HasSuffix(ns[0], " sent") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not sent: %q", e.notifications(id))
		}
	}
	if pings.Load() != 1 || got.Load().Get("url") != testBaseURL+path || got.Load().Get("title") != "Hello remote" {
		t.Errorf("%d pings, last %v", pings.Load(), got.Load())
	}
	edit := e.get(c, fmt.Sprintf("/admin/posts/%d/edit", id))
	mustContain(t, edit.body, "TrackBack", ">sent<")
	mustNotContain(t, edit.body, "data-refresh")
}
