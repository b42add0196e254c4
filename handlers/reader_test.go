package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// readerSite is a blog with pages in the menu, posts in nested categories,
// a teaser and an excerpt, written through the editor.
type readerSite struct {
	e                    *testEnv
	admin                *http.Client
	first, second, third string // permalinks, oldest first
	food, soup           *models.Category
}

func newReaderSite(t *testing.T) *readerSite {
	t.Helper()
	e := newEnv(t)
	c, _ := e.admin()
	ctx := context.Background()
	r := &readerSite{e: e, admin: c}
	page := func(title, order string, show bool, parent int64) {
		form := url.Values{"kind": {"page"}, "title": {title}, "body": {title + " page text."}, "status": {"published"},
			"menu_fields": {"1"}, "menu_order": {order}, "parent_id": {itoa(parent)}}
		if show {
			form.Set("show_in_menu", "1")
		}
		if res := e.post(c, "/admin/posts/new?kind=page", "/admin/posts", form); res.status != http.StatusSeeOther {
			t.Fatalf("page %s: %d %.300s", title, res.status, res.body)
		}
	}
	page("About", "2", true, 0)
	page("Contact", "1", true, 0)
	page("Secret", "0", false, 0)
	about, _ := e.store.PostBySlug(ctx, models.KindPage, "about")
	page("Team", "5", true, about.ID)
	if edit := e.get(c, "/admin/posts/"+itoa(about.ID+3)+"/edit").body; !strings.Contains(edit, `<option value="`+itoa(about.ID)+`" selected>About</option>`) {
		t.Errorf("the editor does not show the page's parent:\n%.2000s", edit)
	}

	r.food = &models.Category{Name: "Food"}
	if err := e.store.SaveCategory(ctx, r.food); err != nil {
		t.Fatal(err)
	}
	r.soup = &models.Category{Name: "Soup", ParentID: &r.food.ID}
	if err := e.store.SaveCategory(ctx, r.soup); err != nil {
		t.Fatal(err)
	}
	r.first = e.publish(c, "First post", "Teaser about sourdough.\n\n<!--more-->\n\nHidden rest of the text.",
		url.Values{"category": {itoa(r.food.ID)}})
	e.clock.Advance(time.Hour)
	r.second = e.publish(c, "Second post", "Leek soup with sourdough bread.", url.Values{"category": {itoa(r.soup.ID)},
		"tags": {"kitchen"}})
	e.clock.Advance(time.Hour)
	r.third = e.publish(c, "Third post", "Body of the third.", url.Values{"excerpt": {"An excerpt, written."},
		"new_category": {"Travel, Food"}})
	return r
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestReaderPages(t *testing.T) {
	r := newReaderSite(t)
	e := r.e
	reader := e.client()
	for _, tc := range []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		{"/", 200, []string{`<a href="/contact">Contact</a>`, `<a href="/about">About</a>`, `<ul class="submenu"><li><a href="/team">Team</a>`,
			`name="s"`, "Teaser about sourdough.", "Continue reading", "An excerpt, written.", `/feed.json">JSON Feed</a>`,
			`rel="author"`, `href="/category/food"`, `<link rel="icon" href="/favicon.ico">`, `property="og:title"`},
			[]string{"Secret", "Hidden rest of the text."}},
		{"/?page=2", 404, []string{"Page not found"}, nil},
		{"/2026/01", 404, []string{"Page not found"}, nil},
		{"/2026/11", 200, []string{"First post"}, nil},
		{"/category/food", 200, []string{"First post", "Second post", "Third post", `title="Crosstalk · Food (RSS)"`}, nil},
		{"/category/soup", 200, []string{"Second post"}, []string{"First post", "Third post"}},
		{"/category/travel", 200, []string{"Third post"}, []string{"Second post"}},
		{"/category/nope", 404, nil, nil},
		{"/category/food?page=2", 404, nil, nil},
		{"/category/food/feed", 200, []string{"<title>Second post</title>", "<title>First post</title>"}, nil},
		{"/category/soup/feed/atom", 200, []string{"Second post"}, []string{"First post"}},
		{"/author/admin", 200, []string{"Posts by admin", "Third post"}, nil},
		{"/author/admin/feed", 200, []string{"Third post"}, nil},
		{"/author/nobody", 404, nil, nil},
		{"/author/admin@example.com", 404, nil, nil},
		{"/tag/nope", 404, nil, nil},
		{"/tag/kitchen", 200, []string{"Second post"}, nil},
		{r.second, 200, []string{"Filed under", `href="/category/soup"`, `href="/tag/kitchen"`, "Previous post", `href="` + r.first + `"`,
			"Next post", `href="` + r.third + `"`, `<meta property="og:type" content="article">`, `<meta name="twitter:card" content="summary">`,
			`<link rel="canonical" href="http://blog.test` + r.second + `">`, `<meta name="description" content="Leek soup with sourdough bread.">`}, nil},
		{r.first, 200, []string{"Hidden rest of the text.", "Next post"}, []string{"Previous post"}},
		{"/about", 200, []string{`<a href="/about" aria-current="page">About</a>`}, []string{"Previous post"}},
		{"/?s=sourdough", 200, []string{"2 results", "<mark>sourdough</mark>", `value="sourdough"`, `<meta name="robots" content="noindex">`}, nil},
		{"/?s=sourdough&page=2", 404, nil, nil},
		{"/?s=", 200, []string{"<h1 id=\"search-h\" class=\"list-heading\">Search</h1>"}, []string{"0 results", "<mark>"}},
		{"/sitemap.xml", 200, []string{"<sitemapindex", "http://blog.test/sitemaps/posts-1.xml", "http://blog.test/sitemaps/archives.xml"}, nil},
		{"/sitemaps/posts-1.xml", 200, []string{"<urlset", "http://blog.test" + r.first, "http://blog.test/about", "<lastmod>"}, nil},
		{"/sitemaps/posts-2.xml", 404, nil, nil},
		{"/sitemaps/posts-01.xml", 404, nil, nil},
		{"/sitemaps/archives.xml", 200, []string{"http://blog.test/category/food", "http://blog.test/tag/kitchen", "http://blog.test/2026/11"}, nil},
		{"/robots.txt", 200, []string{"Sitemap: http://blog.test/sitemap.xml", "Disallow: /admin/"}, nil},
		{"/feed.json", 200, []string{`"version": "https://jsonfeed.org/version/1.1"`, `"title": "Third post"`, `"feed_url": "http://blog.test/feed.json"`}, nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.get(reader, tc.path)
			if res.status != tc.status {
				t.Fatalf("%s: %d, want %d\n%.800s", tc.path, res.status, tc.status, res.body)
			}
			mustContain(t, res.body, tc.want...)
			mustNotContain(t, res.body, tc.not...)
		})
	}
	home := e.get(reader, "/").body
	if strings.Index(home, ">Contact<") > strings.Index(home, ">About<") {
		t.Error("the menu is not in menu order (Contact is 1, About 2)")
	}
	if res := e.get(reader, "/search?q=leek+soup"); res.status != http.StatusMovedPermanently || res.header.Get("Location") != "/?s=leek+soup" {
		t.Errorf("/search?q=: %d %q", res.status, res.header.Get("Location"))
	}
	if res := e.get(reader, "/favicon.ico"); res.status != 200 || res.header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(res.body, "\x00\x00\x01\x00") {
		t.Errorf("/favicon.ico: %d %q", res.status, res.header.Get("Content-Type"))
	}
}
