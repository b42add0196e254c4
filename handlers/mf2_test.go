package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/crosstalk/crosstalk/models"
)

// checkCard checks that item names an author by a p-author h-card with
// name and, when url is not empty, url.
func checkCard(t *testing.T, item *html.Node, name, url string) {
	t.Helper()
	card := prop(t, item, "p-author")
	if !hasClass(card, "h-card") {
		t.Fatalf("p-author is no h-card: class %q", attr(card, "class"))
	}
	if got := pValue(prop(t, card, "p-name")); got != name {
		t.Errorf("author name %q, want %q", got, name)
	}
	urls := props(card, "u-url")
	switch {
	case url == "" && len(urls) != 0:
		t.Errorf("author has a url %q, want none", uValue(t, urls[0], testBaseURL))
	case url != "" && (len(urls) != 1 || uValue(t, urls[0], testBaseURL) != url):
		t.Errorf("author urls %d, want %q", len(urls), url)
	}
}

// TestPostPageMicroformats: a post page is one h-entry with its name,
// content, permalink, date and author, and each approved comment and
// linkback is a u-comment h-cite of it with author, date, content and url.
func TestPostPageMicroformats(t *testing.T) {
	e := newEnv(t)
	e.setSite(func(s *models.Site) { s.Title = "Ada's <Blog>" })
	c, _ := e.admin()
	path := e.publish(c, "Microformats here", "Hello *world*, [a link](https://other.example/).", url.Values{"tags": {"go"}})
	post, err := e.store.PostBySlug(context.Background(), models.KindPost, "microformats-here")
	if err != nil {
		t.Fatal(err)
	}
	permalink := testBaseURL + path
	ctx := context.Background()
	add := func(f models.Feedback) models.Feedback {
		t.Helper()
		f.PostID = post.ID
		if f.Status == "" {
			f.Status = models.ModApproved
		}
		if _, err := e.store.AddFeedback(ctx, &f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	withSite := add(models.Feedback{Kind: models.FeedbackComment, AuthorName: "Ann", SourceURL: "https://ann.example/", Content: "Nice <b>post</b>."})
	noSite := add(models.Feedback{Kind: models.FeedbackComment, AuthorName: "Bob", Content: "Agreed."})
	add(models.Feedback{Kind: models.FeedbackComment, AuthorName: "Eve", Content: "Pending spam", Status: models.ModPending})
	tb := add(models.Feedback{Kind: models.FeedbackTrackBack, AuthorName: "Other Blog", SourceURL: "https://other.example/reply",
		Title: "A reply", Content: "I read it.", Verification: models.VerificationVerified})
	wm := add(models.Feedback{Kind: models.FeedbackWebmention, SourceURL: "https://mention.example/note",
		Title: "https://mention.example/note", Verification: models.VerificationVerified})

	page := e.get(&http.Client{}, path)
	if page.status != http.StatusOK {
		t.Fatalf("status %d", page.status)
	}
	doc := parsePage(t, page.body)
	entries := byClass(doc, "h-entry")
	if len(entries) != 1 {
		t.Fatalf("%d h-entry items, want 1", len(entries))
	}
	entry := entries[0]
	if got := pValue(prop(t, entry, "p-name")); got != "Microformats here" {
		t.Errorf("p-name %q", got)
	}
	if got := innerHTML(t, prop(t, entry, "e-content")); !strings.Contains(got, "Hello <em>world</em>") {
		t.Errorf("e-content %q", got)
	}
	if got := uValue(t, prop(t, entry, "u-url"), permalink); got != permalink {
		t.Errorf("u-url %q, want %q", got, permalink)
	}
	if got, want := dtValue(t, prop(t, entry, "dt-published")), post.PublishedAt.UTC().Format(time.RFC3339); got != want {
		t.Errorf("dt-published %q, want %q", got, want)
	}
	if got := pValue(prop(t, entry, "p-category")); got != "#go" {
		t.Errorf("p-category %q", got)
	}
	checkCard(t, entry, "Ada's <Blog>", testBaseURL+"/")

	cites := props(entry, "u-comment")
	if len(cites) != 4 {
		t.Fatalf("%d u-comment properties, want 4 (the approved comments and linkbacks)", len(cites))
	}
	byID := map[string]*html.Node{}
	for _, cite := range cites {
		if !hasClass(cite, "h-cite") {
			t.Errorf("u-comment is no h-cite: class %q", attr(cite, "class"))
		}
		byID[attr(cite, "id")] = cite
		if _, err := time.Parse(time.RFC3339, dtValue(t, prop(t, cite, "dt-published"))); err != nil {
			t.Errorf("dt-published: %v", err)
		}
	}
	tests := []struct {
		id                  string
		author, authorURL   string
		url, name, content  string
		noContent, noAuthor bool
	}{
		{id: fmt.Sprintf("comment-%d", withSite.ID), author: "Ann", authorURL: "https://ann.example/",
			url: fmt.Sprintf("%s#comment-%d", permalink, withSite.ID), content: "Nice <b>post</b>."},
		{id: fmt.Sprintf("comment-%d", noSite.ID), author: "Bob", url: fmt.Sprintf("%s#comment-%d", permalink, noSite.ID), content: "Agreed."},
		{id: fmt.Sprintf("ping-%d", tb.ID), author: "Other Blog", url: "https://other.example/reply", name: "A reply", content: "I read it."},
		{id: fmt.Sprintf("ping-%d", wm.ID), noAuthor: true, url: "https://mention.example/note", name: "https://mention.example/note", noContent: true},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			cite := byID[tt.id]
			if cite == nil {
				t.Fatalf("no h-cite %s", tt.id)
			}
			if tt.noAuthor {
				if n := len(props(cite, "p-author")); n != 0 {
					t.Errorf("%d authors for a linkback that names none", n)
				}
			} else {
				checkCard(t, cite, tt.author, tt.authorURL)
			}
			if got := uValue(t, prop(t, cite, "u-url"), permalink); got != tt.url {
				t.Errorf("u-url %q, want %q", got, tt.url)
			}
			if tt.name != "" {
				if got := pValue(prop(t, cite, "p-name")); got != tt.name {
					t.Errorf("p-name %q, want %q", got, tt.name)
				}
			}
			contents := props(cite, "p-content")
			switch {
			case tt.noContent && len(contents) != 0:
				t.Errorf("p-content %q for a linkback without text", textOf(contents[0]))
			case !tt.noContent && (len(contents) != 1 || pValue(contents[0]) != tt.content):
				t.Errorf("%d p-content, want %q", len(contents), tt.content)
			}
		})
	}
	mustNotContain(t, page.body, "Pending spam")
}

// TestListPagesMicroformats: the home page, a tag page and a month archive
// are each one h-feed, named and authored, whose posts are h-entries with
// name, permalink, date, author and content (or the writer's summary).
func TestListPagesMicroformats(t *testing.T) {
	e := newEnv(t)
	e.setSite(func(s *models.Site) { s.Title = "Feed Blog" })
	c, _ := e.admin()
	full := e.publish(c, "Full text", "All of *it*.", url.Values{"tags": {"go"}})
	summed := e.publish(c, "With a summary", "Long text.", url.Values{"excerpt": {"Just this."}})
	posts := map[string]string{testBaseURL + full: "Full text", testBaseURL + summed: "With a summary"}
	tests := []struct {
		path, name string
		entries    int
	}{
		{"/", "Feed Blog", 2},
		{"/tag/go", "Posts tagged #go", 1},
		{full[:8], "Posts from November 2026", 2},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			page := e.get(&http.Client{}, tt.path)
			if page.status != http.StatusOK {
				t.Fatalf("status %d", page.status)
			}
			feeds := byClass(parsePage(t, page.body), "h-feed")
			if len(feeds) != 1 {
				t.Fatalf("%d h-feed items, want 1", len(feeds))
			}
			feed := feeds[0]
			if got := pValue(prop(t, feed, "p-name")); got != tt.name {
				t.Errorf("feed name %q, want %q", got, tt.name)
			}
			checkCard(t, feed, "Feed Blog", testBaseURL+"/")
			entries := byClass(feed, "h-entry")
			if len(entries) != tt.entries {
				t.Fatalf("%d h-entry items, want %d", len(entries), tt.entries)
			}
			for _, entry := range entries {
				permalink := uValue(t, prop(t, entry, "u-url"), testBaseURL+tt.path)
				title, ok := posts[permalink]
				if !ok {
					t.Fatalf("u-url %q is no permalink", permalink)
				}
				if got := pValue(prop(t, entry, "p-name")); got != title {
					t.Errorf("p-name %q, want %q", got, title)
				}
				if _, err := time.Parse(time.RFC3339, dtValue(t, prop(t, entry, "dt-published"))); err != nil {
					t.Errorf("dt-published: %v", err)
				}
				checkCard(t, entry, "Feed Blog", testBaseURL+"/")
				if title == "With a summary" {
					if got := pValue(prop(t, entry, "p-summary")); got != "Just this." {
						t.Errorf("p-summary %q", got)
					}
					continue
				}
				if got := innerHTML(t, prop(t, entry, "e-content")); !strings.Contains(got, "All of <em>it</em>.") {
					t.Errorf("e-content %q", got)
				}
			}
		})
	}
}

// A little of microformats2 parsing, enough to check what our pages carry:
// elements found by class, and the properties of an item (its descendants
// reached without entering another item, as the mf2 parsing rules walk).

// parsePage parses an HTML page.
func parsePage(t testing.TB, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// hasClass reports whether n is an element whose class attribute lists class.
func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), class)
}

// attr is n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// byClass lists n and its descendants that have class, in document order.
func byClass(n *html.Node, class string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if hasClass(d, class) {
			out = append(out, d)
		}
	}
	if hasClass(n, class) {
		out = append([]*html.Node{n}, out...)
	}
	return out
}

// isItem reports whether n is a microformats2 root (an h-* class).
func isItem(n *html.Node) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if strings.HasPrefix(c, "h-") {
			return true
		}
	}
	return false
}

// props lists the elements that give item the property class: its
// descendants with that class that are not inside a nested item.
func props(item *html.Node, class string) []*html.Node {
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if hasClass(c, class) {
				out = append(out, c)
			}
			if !isItem(c) {
				walk(c)
			}
		}
	}
	walk(item)
	return out
}

// prop is the one element giving item the property class.
func prop(t testing.TB, item *html.Node, class string) *html.Node {
	t.Helper()
	ps := props(item, class)
	if len(ps) != 1 {
		t.Fatalf("%d %s properties on <%s class=%q>, want 1", len(ps), class, item.Data, attr(item, "class"))
	}
	return ps[0]
}

// textOf is n's text content with white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// innerHTML is n's content as HTML.
func innerHTML(t testing.TB, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// pValue is a p- property's value: a data element's value, else the text.
func pValue(n *html.Node) string {
	if n.Data == "data" {
		return attr(n, "value")
	}
	return textOf(n)
}

// uValue is a u- property's value, made absolute against base.
func uValue(t testing.TB, n *html.Node, base string) string {
	t.Helper()
	var raw string
	switch n.Data {
	case "a", "area", "link":
		raw = attr(n, "href")
	case "img", "audio", "video", "source", "iframe":
		raw = attr(n, "src")
	case "data", "input":
		raw = attr(n, "value")
	default:
		raw = textOf(n)
	}
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.Parse(raw)
	if err != nil {
		t.Fatalf("u- value %q: %v", raw, err)
	}
	return u.String()
}

// dtValue is a dt- property's value: a time element's datetime.
func dtValue(t testing.TB, n *html.Node) string {
	t.Helper()
	if n.Data != "time" || attr(n, "datetime") == "" {
		t.Fatalf("dt- property on <%s> without datetime", n.Data)
	}
	return attr(n, "datetime")
}
