package handlers

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
)

var commentIDs = regexp.MustCompile(`<article class="comment u-comment h-cite" id="comment-(\d+)">`)

// shownComments lists the comment ids a post page shows, in page order.
func shownComments(body string) []string {
	var ids []string
	for _, m := range commentIDs.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestCommentPages: a post with 10,000 approved comments shows 50 per page,
// oldest first by default or newest first as set, with links between the
// pages, the comment form on each, and 404 past the last page.
func TestCommentPages(t *testing.T) {
	target := storetest.Target(t)
	e := newEnvAt(t, target, models.Options{}, PingLimits{}, 0)
	_, u := e.admin()
	seedScale(t, target, scaleSeed{Posts: 3, Tags: 1, HotComments: 10000, Feedback: 0, AuthorID: u.ID})
	const path = "/2026/11/p-1"
	// A pending comment is never shown, on any page.
	ctx := context.Background()
	post, err := e.store.PostBySlug(ctx, models.KindPost, "p-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.AddFeedback(ctx, &models.Feedback{PostID: post.ID, Kind: models.FeedbackComment,
		Status: models.ModPending, AuthorName: "Held", Content: "Held back."}); err != nil {
		t.Fatal(err)
	}
	reader := e.client()
	first := e.get(reader, path)
	if first.status != http.StatusOK {
		t.Fatalf("first page: %d", first.status)
	}
	ids := shownComments(first.body)
	if len(ids) != 50 || ids[0] != "1" || ids[49] != "50" {
		t.Fatalf("first page shows %d comments, %v…", len(ids), ids[:min(3, len(ids))])
	}
	mustContain(t, first.body, `href="/2026/11/p-1?cpage=2#comments">Newer comments</a>`, `id="comment-form"`)
	if strings.Contains(first.body, `rel="prev"`) || strings.Contains(first.body, "Held back.") {
		t.Error("first page links a previous page or shows a pending comment")
	}

	second := e.get(reader, path+"?cpage=2")
	ids = shownComments(second.body)
	if second.status != http.StatusOK || len(ids) != 50 || ids[0] != "51" {
		t.Fatalf("page 2: %d, %d comments from %v", second.status, len(ids), ids[:min(1, len(ids))])
	}
	mustContain(t, second.body, `href="/2026/11/p-1#comments">Older comments</a>`,
		`href="/2026/11/p-1?cpage=3#comments">Newer comments</a>`, `id="comment-form"`, "Comments (page 2)")

	last := e.get(reader, path+"?cpage=200")
	ids = shownComments(last.body)
	if last.status != http.StatusOK || len(ids) != 50 || ids[49] != "10000" {
		t.Fatalf("last page: %d, %d comments", last.status, len(ids))
	}
	mustContain(t, last.body, `href="/2026/11/p-1?cpage=199#comments">Older comments</a>`, `id="comment-form"`)
	if strings.Contains(last.body, `rel="next"`) {
		t.Error("the last page links a next page")
	}
	for _, bad := range []string{"?cpage=201", "?cpage=0", "?cpage=-1", "?cpage=x"} {
		if res := e.get(reader, path+bad); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, res.status)
		}
	}
	// A new thread goes after the last page's: its author is sent to the
	// page after it, which shows their held comment with its note.
	res := e.do(reader, "POST", "/comments/"+strconv.FormatInt(post.ID, 10), url.Values{"name": {"Late"}, "content": {"Late thought."}})
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, path+"?cpage=201&unapproved=") {
		t.Fatalf("comment: %d to %q", res.status, loc)
	}
	mustContain(t, e.get(reader, loc).body, "awaiting moderation", "Late thought.")

	// Newest first, as a setting: page 1 holds the newest 50.
	if err := e.store.SetSettings(ctx, map[string]string{models.SettingNewestFirst: "true"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(6 * time.Second) // past the settings cache
	e.pages.InvalidateAll()          // as a settings save does
	newest := e.get(reader, path)
	ids = shownComments(newest.body)
	if len(ids) != 50 || ids[0] != "10000" || ids[49] != "9951" {
		t.Fatalf("newest first: %d comments, %v…", len(ids), ids[:min(3, len(ids))])
	}
	mustContain(t, newest.body, `href="/2026/11/p-1?cpage=2#comments">Older comments</a>`, `id="comment-form"`)
	ids = shownComments(e.get(reader, path+"?cpage=200").body)
	if len(ids) != 50 || ids[49] != "1" {
		t.Errorf("newest first, last page ends with %v", ids[len(ids)-1:])
	}

	// A post without comments has one page.
	if res := e.get(reader, "/2026/11/p-2"); res.status != http.StatusOK || !strings.Contains(res.body, "No comments yet.") {
		t.Errorf("empty post: %d", res.status)
	}
	if res := e.get(reader, "/2026/11/p-2?cpage=2"); res.status != http.StatusNotFound {
		t.Errorf("empty post, page 2: %d", res.status)
	}
}

// TestNewestFirstSetting: the settings form keeps the comment order.
func TestNewestFirstSetting(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	mustContain(t, e.get(c, "/admin/settings").body, `name="newest_first"`, "Show newest comments first (50 per page)")
	saved := func(extra url.Values) string {
		form := url.Values{"title": {"Blog"}, "posts_per_page": {"10"}}
		maps.Copy(form, extra)
		if res := e.post(c, "/admin/settings", "/admin/settings", form); res.status != http.StatusSeeOther {
			t.Fatalf("save settings: %d %.300s", res.status, res.body)
		}
		raw, err := e.store.Settings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return raw[models.SettingNewestFirst]
	}
	if got := saved(url.Values{"newest_first": {"1"}}); got != "true" {
		t.Errorf("ticked: stored %q", got)
	}
	if got := saved(nil); got != "false" {
		t.Errorf("left out: stored %q", got)
	}
}
