package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

type autosaveReply struct {
	ID         int64             `json:"id"`
	SavedAt    string            `json:"saved_at"`
	Action     string            `json:"action"`
	Skipped    bool              `json:"skipped"`
	Message    string            `json:"message"`
	Error      string            `json:"error"`
	Login      string            `json:"login"`
	Fields     map[string]string `json:"fields"`
	Pending    int               `json:"pending"`
	Counts     map[string]int    `json:"counts"`
	StatusCode int               `json:"-"`
}

func (e *testEnv) autosave(c *http.Client, token, path string, form url.Values) autosaveReply {
	e.t.Helper()
	form.Set("csrf_token", token)
	res := e.do(c, "POST", path, form, "Accept", "application/json")
	var r autosaveReply
	if err := json.Unmarshal([]byte(res.body), &r); err != nil {
		e.t.Fatalf("%s answered %d with no JSON: %.300s", path, res.status, res.body)
	}
	r.StatusCode = res.status
	return r
}

// TestAutosave: autosave keeps drafts and never publishes or touches live text.
func TestAutosave(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	token := csrfFrom(t, e.get(c, "/admin/posts/new").body)
	ctx := context.Background()

	// A new post becomes a draft even when the status menu says published.
	first := e.autosave(c, token, "/admin/posts/autosave", url.Values{"kind": {"post"}, "title": {"My ess"},
		"body": {"Half a thought"}, "status": {"published"}})
	if first.StatusCode != http.StatusOK || first.ID == 0 || first.SavedAt != "12:00" || first.Action != "/admin/posts/1" {
		t.Fatalf("autosave of a new post: %+v", first)
	}
	p, err := e.store.PostByID(ctx, first.ID)
	if err != nil || p.Status != models.StatusDraft || p.Body != "Half a thought" {
		t.Fatalf("stored: %+v %v", p, err)
	}
	// The same draft again, with more text and a grown title.
	again := e.autosave(c, token, "/admin/posts/1/autosave", url.Values{"kind": {"post"}, "title": {"My essay"},
		"body": {"A whole thought"}, "status": {"published"}})
	if again.StatusCode != http.StatusOK || again.ID != first.ID {
		t.Fatalf("autosave of the draft: %+v", again)
	}
	if p, _ = e.store.PostByID(ctx, first.ID); p.Status != models.StatusDraft || p.Body != "A whole thought" || p.Slug != "my-essay" {
		t.Errorf("draft after autosave: status %s body %q slug %q", p.Status, p.Body, p.Slug)
	}
	if _, err := e.store.RedirectedPost(ctx, "my-ess"); err == nil {
		t.Error("an autosaved draft's early slug must not redirect")
	}

	// A published post's live text is changed only by Save.
	e.publish(c, "Live post", "Live text", nil)
	live, _ := e.store.PostBySlug(ctx, models.KindPost, "live-post")
	skip := e.autosave(c, token, "/admin/posts/2/autosave", url.Values{"kind": {"post"}, "title": {"Live post"}, "body": {"Edited"}, "status": {"published"}})
	if skip.StatusCode != http.StatusOK || !skip.Skipped || skip.Message == "" {
		t.Errorf("autosave of a published post: %+v", skip)
	}
	if p, _ := e.store.PostByID(ctx, live.ID); p.Body != "Live text" || p.Status != models.StatusPublished {
		t.Errorf("published post changed by autosave: %q %s", p.Body, p.Status)
	}
	// The editor tells its script which posts autosave may touch.
	mustContain(t, e.get(c, "/admin/posts/new").body, `data-autosave="on"`)
	mustContain(t, e.get(c, "/admin/posts/1/edit").body, `data-autosave="on"`, `data-post-id="1"`)
	mustContain(t, e.get(c, "/admin/posts/2/edit").body, `data-autosave="off"`)

	tests := []struct {
		name   string
		client *http.Client
		token  string
		path   string
		form   url.Values
		status int
		check  func(autosaveReply) bool
	}{
		{"no title", c, token, "/admin/posts/autosave", url.Values{"kind": {"post"}, "body": {"x"}}, http.StatusUnprocessableEntity,
			func(r autosaveReply) bool {
				return r.Fields["title"] != "" && r.Error == "Not saved yet: A title is required."
			}},
		{"slug taken", c, token, "/admin/posts/autosave", url.Values{"kind": {"post"}, "title": {"Live post"}}, http.StatusUnprocessableEntity,
			func(r autosaveReply) bool { return r.Fields["slug"] != "" }},
		{"missing post", c, token, "/admin/posts/99/autosave", url.Values{"title": {"x"}}, http.StatusNotFound,
			func(r autosaveReply) bool { return r.Error != "" }},
		{"session expired", e.client(), token, "/admin/posts/1/autosave", url.Values{"title": {"x"}}, http.StatusUnauthorized,
			func(r autosaveReply) bool { return r.Error != "" && r.Login == "/login" }},
		{"stale form token", c, "0000", "/admin/posts/1/autosave", url.Values{"title": {"x"}}, http.StatusForbidden,
			func(r autosaveReply) bool { return r.Error != "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.autosave(tt.client, tt.token, tt.path, tt.form)
			if r.StatusCode != tt.status || !tt.check(r) {
				t.Errorf("got %d %+v, want %d", r.StatusCode, r, tt.status)
			}
		})
	}
	if p, _ = e.store.PostByID(ctx, first.ID); p.Title != "My essay" {
		t.Errorf("a refused autosave changed the draft: %q", p.Title)
	}
}

// TestModerateJSON: the queue's script gets every tab's count for its filter
// and the whole queue's pending count for the badge.
func TestModerateJSON(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "One", "x", nil)
	e.publish(c, "Two", "x", nil)
	ctx := context.Background()
	for _, postID := range []int64{1, 1, 2} {
		f := &models.Feedback{PostID: postID, Kind: models.FeedbackComment, Status: models.ModPending, AuthorName: "n", Content: "c"}
		if _, err := e.store.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	token := csrfFrom(t, e.get(c, "/admin/queue").body)
	r := e.autosave(c, token, "/admin/queue", url.Values{"action": {"approved"}, "id": {"1"}, "post": {"1"}})
	if r.StatusCode != http.StatusOK || r.Counts["pending"] != 1 || r.Counts["approved"] != 1 || r.Counts["spam"] != 0 || r.Pending != 2 {
		t.Errorf("filtered counts: %+v", r)
	}
	if _, ok := r.Counts["trash"]; !ok {
		t.Error("every status must be in the counts")
	}
	// Undo puts it back.
	r = e.autosave(c, token, "/admin/queue", url.Values{"action": {"pending"}, "id": {"1"}})
	if r.Counts["pending"] != 3 || r.Pending != 3 {
		t.Errorf("after undo: %+v", r)
	}
	// A stale session answers JSON too, so the page can say so.
	if r := e.autosave(e.client(), token, "/admin/queue", url.Values{"action": {"spam"}, "id": {"1"}}); r.StatusCode != http.StatusUnauthorized || r.Error == "" {
		t.Errorf("expired session: %+v", r)
	}
	// Without a script the filter survives the redirect.
	res := e.post(c, "/admin/queue", "/admin/queue", url.Values{"action": {"spam"}, "id": {"2"}, "kind": {"comment"}, "post": {"1"}, "return": {"pending"}})
	if loc := res.header.Get("Location"); res.status != http.StatusSeeOther || loc != "/admin/queue?kind=comment&post=1&status=pending" {
		t.Errorf("redirect: %d %q", res.status, loc)
	}
}
