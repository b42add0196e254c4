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

// TestReaderPagesFollowWrites caches each reader page, then publishes and
// unpublishes: every cached page that shows the post or page changes.
func TestReaderPagesFollowWrites(t *testing.T) {
	r := newReaderSite(t)
	e, c, reader := r.e, r.admin, r.e.client()
	ctx := context.Background()
	warm := []string{"/", r.first, r.third, "/category/food", "/category/soup", "/sitemaps/posts-1.xml", "/author/admin", "/feed.json"}
	for _, p := range warm {
		e.get(reader, p)
	}
	hits, _, _ := e.pages.Stats()
	for _, p := range warm {
		e.get(reader, p)
	}
	if after, _, _ := e.pages.Stats(); after-hits != uint64(len(warm)) {
		t.Fatalf("%d of %d pages came from the cache: the test would prove nothing", after-hits, len(warm))
	}

	// Search pages are never stored: every query is its own address.
	stored := e.pages.Len()
	for range 2 {
		if res := e.get(reader, "/?s=leek"); res.status != http.StatusOK || !strings.Contains(res.body, "Second post") {
			t.Fatalf("search: %d", res.status)
		}
	}
	if e.pages.Len() != stored {
		t.Errorf("search pages were stored in the page cache (%d entries, was %d)", e.pages.Len(), stored)
	}

	// Unpublish the page About: gone from the menu of every cached page.
	about, _ := e.store.PostBySlug(ctx, models.KindPage, "about")
	res := e.post(c, "/admin/posts/"+itoa(about.ID)+"/edit", "/admin/posts/"+itoa(about.ID), url.Values{"kind": {"page"},
		"title": {"About"}, "slug": {"about"}, "body": {"x"}, "status": {"draft"}, "menu_fields": {"1"}, "show_in_menu": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("unpublish page: %d %.300s", res.status, res.body)
	}
	for _, p := range []string{"/", r.first, "/category/food"} {
		if body := e.get(reader, p).body; strings.Contains(body, `<a href="/about">About</a>`) {
			t.Errorf("%s still shows the unpublished page in its menu", p)
		}
	}
	if body := e.get(reader, "/sitemaps/posts-1.xml").body; strings.Contains(body, "/about<") {
		t.Error("the sitemap still lists the unpublished page")
	}

	// Unpublish the second post: gone from search, its category, and its
	// neighbours' previous/next links.
	second, _ := e.store.PostBySlug(ctx, models.KindPost, "second-post")
	res = e.post(c, "/admin/posts/"+itoa(second.ID)+"/edit", "/admin/posts/"+itoa(second.ID), url.Values{"kind": {"post"},
		"title": {"Second post"}, "slug": {"second-post"}, "body": {"Leek soup."}, "status": {"draft"}, "category": {itoa(r.soup.ID)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("unpublish post: %d %.300s", res.status, res.body)
	}
	for _, tc := range []struct{ path, gone string }{
		{"/category/food", "Second post"}, {"/category/soup", "Second post"}, {"/author/admin", "Second post"},
		{r.first, r.second}, {r.third, r.second}, {"/sitemaps/posts-1.xml", r.second}, {"/feed.json", "Second post"},
		{"/?s=leek", "Second post"},
	} {
		if body := e.get(reader, tc.path).body; strings.Contains(body, tc.gone) {
			t.Errorf("%s still shows %q", tc.path, tc.gone)
		}
	}
	if body := e.get(reader, r.third).body; !strings.Contains(body, `href="`+r.first+`"`) {
		t.Error("the third post does not link the first as its previous post now")
	}

	// Publish again: back everywhere.
	res = e.post(c, "/admin/posts/"+itoa(second.ID)+"/edit", "/admin/posts/"+itoa(second.ID), url.Values{"kind": {"post"},
		"title": {"Second post"}, "slug": {"second-post"}, "body": {"Leek soup."}, "status": {"published"}, "category": {itoa(r.soup.ID)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("publish again: %d", res.status)
	}
	for _, p := range []string{"/category/food", "/category/soup", "/?s=leek"} {
		if body := e.get(reader, p).body; !strings.Contains(body, "Second post") {
			t.Errorf("%s lacks the post published again", p)
		}
	}
}

// TestSearchHostileInput sends the query languages' operators and markup
// through the real engine: always a page, never an error, the query shown
// as text.
func TestSearchHostileInput(t *testing.T) {
	r := newReaderSite(t)
	reader := r.e.client()
	for _, q := range []string{`"`, `*`, `""`, `NEAR(`, `NEAR(leek soup, 2)`, `leek OR soup`, `soup -leek`, `title:soup`,
		`(soup`, `soup)`, `soup & leek | x`, `!soup`, `'soup'`, `soup:*`, `\`, `<script>alert(1)</script>`, `%00`,
		strings.Repeat("soup ", 200), strings.Repeat("é", 300), "\x02soup\x03", `soup AND`, `^`, `{soup}`, `soup*`} {
		res := r.e.get(reader, "/?s="+url.QueryEscape(q))
		if res.status != http.StatusOK {
			t.Errorf("%q: %d", q, res.status)
			continue
		}
		mustNotContain(t, res.body, "<script>alert(1)</script>", "\x02", "\x03")
	}
	res := r.e.get(reader, "/?s="+url.QueryEscape(`"leek" (`))
	mustContain(t, res.body, "1 result", "<mark>Leek</mark>")
}

// TestTimezoneAndDateFormat shows dates in the blog's zone and format and
// reads the editor's schedule in that zone.
func TestTimezoneAndDateFormat(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	settings := func(tz, format string) response {
		return e.post(c, "/admin/settings", "/admin/settings", url.Values{"title": {"Zoned"}, "posts_per_page": {"10"},
			"timezone": {tz}, "date_format": {format}})
	}
	if res := settings("Mars/Olympus", "2006-01-02"); res.status != http.StatusBadRequest || !strings.Contains(res.body, "time zone name") {
		t.Fatalf("unknown zone: %d", res.status)
	}
	if res := settings("Pacific/Auckland", "2006-01-02"); res.status != http.StatusSeeOther {
		t.Fatalf("settings: %d %.300s", res.status, res.body)
	}
	// 2026-11-30 12:00 UTC is 1 December 01:00 in Auckland (UTC+13).
	path := e.publish(c, "Kiwi time", "Text.", nil)
	mustContain(t, e.get(e.client(), path).body, ">2026-12-01</time>", `datetime="2026-11-30T12:00:00Z"`)
	res := e.post(c, "/admin/posts/new", "/admin/posts", url.Values{"kind": {"post"}, "title": {"Later"}, "body": {"x"},
		"status": {"published"}, "publish_at": {"2026-12-02T09:30"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("schedule: %d", res.status)
	}
	p, err := e.store.PostBySlug(context.Background(), models.KindPost, "later")
	if err == nil {
		t.Fatalf("a future post is published: %v", p.Status)
	}
	posts, _ := e.store.AdminPosts(context.Background(), models.KindPost, models.StatusScheduled, 0, 5)
	if len(posts) != 1 || !posts[0].PublishedAt.Equal(time.Date(2026, 12, 1, 20, 30, 0, 0, time.UTC)) {
		t.Fatalf("scheduled for %v, want 2026-12-01 20:30 UTC (09:30 in Auckland)", posts)
	}
	edit := e.get(c, "/admin/posts/"+itoa(posts[0].ID)+"/edit").body
	mustContain(t, edit, `value="2026-12-02T09:30"`, "Pacific/Auckland time")
}

// TestSiteIconUpload replaces the built-in icon from the settings page.
func TestSiteIconUpload(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	res := e.uploadIcon(c, "icon.png", noisePNG(t, 16))
	if res.status != http.StatusSeeOther {
		t.Fatalf("upload icon: %d %.300s", res.status, res.body)
	}
	home := e.get(e.client(), "/").body
	mustContain(t, home, `<link rel="icon" href="/media/`)
	got := e.get(e.client(), "/favicon.ico")
	if got.status != http.StatusFound || !strings.HasPrefix(got.header.Get("Location"), "/media/") {
		t.Errorf("/favicon.ico: %d %q", got.status, got.header.Get("Location"))
	}
	res = e.post(c, "/admin/settings", "/admin/settings", url.Values{"title": {"T"}, "posts_per_page": {"10"}, "remove_icon": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("remove icon: %d", res.status)
	}
	if got := e.get(e.client(), "/favicon.ico"); got.status != http.StatusOK {
		t.Errorf("built-in icon after removing: %d", got.status)
	}
}
