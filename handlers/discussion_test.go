package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

func TestComments(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Discuss", "Talk to me", nil)
	reader := e.client()
	thanks := path + "?unapproved=1&moderation-hash="
	tests := []struct {
		name     string
		form     url.Values
		status   int
		want     string // in the body, for a form shown again
		location string // for a redirect
		stored   bool
	}{
		{"valid", url.Values{"name": {"Ann"}, "email": {"ann@example.com"}, "url": {"https://ann.example"}, "content": {"Nice <script>alert(1)</script>"}}, http.StatusSeeOther, "", thanks, true},
		{"missing name keeps text", url.Values{"content": {"My long thought"}}, http.StatusBadRequest, "My long thought", "", false},
		{"javascript url", url.Values{"name": {"Bob"}, "url": {"javascript:alert(1)"}, "content": {"hi"}}, http.StatusBadRequest, "Give a web address", "", false},
		{"honeypot", url.Values{"name": {"Bot"}, "content": {"buy"}, "website2": {"http://spam.example"}}, http.StatusSeeOther, "", path + "#comments", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := e.store.QueueCounts(context.Background(), "", 0)
			res := e.do(reader, "POST", "/comments/1", tt.form)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", res.status, tt.status, res.body)
			}
			if tt.want != "" {
				mustContain(t, res.body, tt.want)
			}
			if loc := res.header.Get("Location"); !strings.HasPrefix(loc, tt.location) || (tt.location == "") != (loc == "") {
				t.Errorf("Location %q, want %q", loc, tt.location)
			}
			after, _ := e.store.QueueCounts(context.Background(), "", 0)
			if stored := after[models.ModPending] > before[models.ModPending]; stored != tt.stored {
				t.Errorf("stored = %v, want %v", stored, tt.stored)
			}
		})
	}
	// Held for moderation: not shown until approved, then shown escaped.
	if page := e.get(reader, path); strings.Contains(page.body, "Nice &lt;script") {
		t.Fatal("a pending comment is shown")
	}
	res := e.post(c, "/admin/queue", "/admin/queue", url.Values{"action": {"approved"}, "id": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.status)
	}
	page := e.get(reader, path)
	mustContain(t, page.body, "Nice &lt;script&gt;alert(1)&lt;/script&gt;", `href="https://ann.example" rel="nofollow ugc"`)
	mustNotContain(t, page.body, "<script>alert(1)", "ann@example.com")
	if res := e.do(reader, "POST", "/comments/999", url.Values{"name": {"x"}, "content": {"y"}}); res.status != http.StatusNotFound {
		t.Errorf("comment on a missing post: %d", res.status)
	}
}

func TestQueueActions(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "Queue", "x", nil)
	ctx := context.Background()
	for i := 1; i <= 60; i++ {
		kind := models.FeedbackComment
		if i%2 == 0 {
			kind = models.FeedbackTrackBack
		}
		f := &models.Feedback{PostID: 1, Kind: kind, Status: models.ModPending, AuthorName: fmt.Sprintf("n%d", i),
			SourceURL: fmt.Sprintf("https://s%d.example/", i), Title: fmt.Sprintf("title %d", i), Content: "<img src=x onerror=alert(1)>"}
		if _, err := e.store.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	page := e.get(c, "/admin/queue")
	mustContain(t, page.body, "title 60", `rel="next" href="/admin/queue?before=11&amp;status=pending"`, `id="pending-count"`, "&lt;img src=x onerror=alert(1)&gt;")
	mustNotContain(t, page.body, "title 10<", "<img src=x")
	older := e.get(c, "/admin/queue?status=pending&before=11")
	mustContain(t, older.body, "title 10")
	if onlyPings := e.get(c, "/admin/queue?kind=trackback"); strings.Contains(onlyPings.body, "title 59") {
		t.Error("kind filter shows a comment")
	}

	tests := []struct {
		name   string
		form   url.Values
		id     int64
		status models.ModerationStatus
	}{
		{"bulk spam", url.Values{"action": {"spam"}, "id": {"1", "2"}}, 2, models.ModSpam},
		{"one approve", url.Values{"one": {"approved:3"}}, 3, models.ModApproved},
		{"restore", url.Values{"action": {"pending"}, "id": {"2"}}, 2, models.ModPending},
		{"trash", url.Values{"action": {"trash"}, "id": {"4"}}, 4, models.ModTrash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := e.post(c, "/admin/queue", "/admin/queue", tt.form); res.status != http.StatusSeeOther {
				t.Fatalf("status %d", res.status)
			}
			items, _ := e.store.Queue(ctx, models.QueueFilter{Status: tt.status, Limit: 200})
			found := false
			for _, it := range items {
				found = found || it.ID == tt.id
			}
			if !found {
				t.Errorf("item %d not in %s", tt.id, tt.status)
			}
		})
	}
	if res := e.post(c, "/admin/queue", "/admin/queue", url.Values{"action": {"delete"}, "id": {"4"}}); res.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.status)
	}
	if counts, _ := e.store.QueueCounts(ctx, "", 0); counts[models.ModTrash] != 0 || counts[models.ModPending] != 57 || counts[models.ModSpam] != 1 {
		t.Errorf("counts after actions: %v", counts)
	}
	res := e.do(c, "POST", "/admin/queue", url.Values{"csrf_token": {csrfFrom(t, page.body)}, "action": {"approved"}, "id": {"5"}}, "Accept", "application/json")
	mustContain(t, res.body, `"pending":56`, `"approved":2`)
}

func TestSettings(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	bad := e.post(c, "/admin/settings", "/admin/settings", url.Values{"title": {""}, "posts_per_page": {"0"}, "block_list": {"spam.example"},
		"pings_close_days": {"200000"}})
	if bad.status != http.StatusBadRequest {
		t.Fatalf("invalid settings: %d", bad.status)
	}
	mustContain(t, bad.body, "Give your blog a title.", "Use a number from 1 to 100.", "spam.example", "from 0 (never) to 100000")
	ok := e.post(c, "/admin/settings", "/admin/settings", url.Values{"title": {"Renamed"}, "tagline": {"New"}, "posts_per_page": {"2"},
		"moderate": {"1"}, "pings_enabled": {"1"}, "pings_close_days": {"14"}, "block_list": {"Spam.example\n192.0.2.1"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("save settings: %d", ok.status)
	}
	raw, _ := e.store.Settings(context.Background())
	site := models.SiteFromSettings(raw)
	if site.Title != "Renamed" || site.PostsPerPage != 2 || site.PingsCloseDays != 14 || len(site.BlockList) != 2 || site.BlockList[0] != "spam.example" {
		t.Errorf("stored %+v", site)
	}
	for i := 0; i < 3; i++ {
		e.publish(c, fmt.Sprintf("Post %d", i), "x", nil)
	}
	home := e.get(e.client(), "/")
	mustContain(t, home.body, "Renamed", "Post 2", "Post 1", `href="/?page=2"`)
	mustNotContain(t, home.body, "Post 0")
	mustContain(t, e.get(e.client(), "/?page=2").body, "Post 0", `href="/?page=1"`)
}
