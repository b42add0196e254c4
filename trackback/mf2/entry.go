package mf2

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// ResponseType is what a received post does to ours.
type ResponseType string

// Response types, from the h-entry's properties that name the target.
const (
	Reply    ResponseType = "reply"    // u-in-reply-to
	Like     ResponseType = "like"     // u-like-of
	Repost   ResponseType = "repost"   // u-repost-of
	Bookmark ResponseType = "bookmark" // u-bookmark-of
	Mention  ResponseType = "mention"  // none of them: a plain link
)

// Bounds on what Find returns, whatever the page holds.
const (
	MaxName    = 100   // characters of the author's name
	MaxContent = 10000 // characters of the content
	MaxURL     = 2048  // bytes of a URL; longer ones are dropped
)

// Entry is what a linkback's source says about itself. Every field may be
// empty: Type is Mention, and Author the source's host, when the page has
// no h-entry.
type Entry struct {
	Type ResponseType
	// Author of the entry: name (never empty), url and photo (absolute
	// http(s) URLs, or empty).
	AuthorName, AuthorURL, AuthorPhoto string
	// Content is plain text: paragraphs separated by a blank line.
	Content string
	// Published is the dt-published date, zero when absent or unreadable.
	Published time.Time
	// Found reports whether the page had an h-entry.
	Found bool
}

// responseProps are checked in this order (Post Type Discovery's, with
// bookmarks after replies).
var responseProps = []struct {
	prop string
	typ  ResponseType
}{
	{"repost-of", Repost},
	{"like-of", Like},
	{"in-reply-to", Reply},
	{"bookmark-of", Bookmark},
}

// Find parses a source page found at pageURL (after redirects) and
// extracts its h-entry addressed to target: the entry whose url is the
// page, else the first entry that responds to target, else the first
// entry (an h-feed's entries count). The author is the entry's p-author
// (an h-card, a URL or a name), else its h-feed's, else the page's h-card
// whose url is the page's origin or the page itself, else the page's host.
func Find(page []byte, pageURL *url.URL, target string) Entry {
	doc := Parse(page, pageURL)
	entries, feeds := entriesOf(doc.Items)
	e := Entry{Type: Mention}
	entry := pickEntry(entries, pageURL, target)
	if entry == nil {
		e.AuthorName, e.AuthorURL = hostAuthor(pageURL)
		return e
	}
	e.Found = true
	e.Type = responseType(entry, target)
	author, ok := entry.First("author")
	if !ok {
		if feed := feeds[entry]; feed != nil {
			author, ok = feed.First("author")
		}
	}
	if !ok {
		if card := representativeCard(doc.Items, pageURL); card != nil {
			author, ok = Value{Item: card}, true
		}
	}
	e.AuthorName, e.AuthorURL, e.AuthorPhoto = authorOf(author, ok, pageURL)
	e.Content = contentOf(entry)
	if d, ok := entry.First("published"); ok {
		e.Published = ParseDate(d.Text)
	}
	return e
}

// entriesOf lists the h-entries among the top-level items and the children
// of top-level h-feeds, with the feed of each feed entry.
func entriesOf(items []*Item) ([]*Item, map[*Item]*Item) {
	var out []*Item
	feeds := map[*Item]*Item{}
	for _, it := range items {
		switch {
		case it.Has("h-entry"):
			out = append(out, it)
		case it.Has("h-feed"):
			for _, c := range it.Children {
				if c.Has("h-entry") {
					out = append(out, c)
					feeds[c] = it
				}
			}
		}
	}
	return out, feeds
}

func pickEntry(entries []*Item, pageURL *url.URL, target string) *Item {
	if len(entries) == 0 {
		return nil
	}
	if pageURL != nil {
		page := comparable(pageURL.String())
		for _, e := range entries {
			for _, u := range e.Properties["url"] {
				if comparable(u.Text) == page {
					return e
				}
			}
		}
	}
	for _, e := range entries {
		if responseType(e, target) != Mention {
			return e
		}
	}
	return entries[0]
}

// responseType finds the first response property with a value (a URL or a
// nested h-cite's url) equal to target.
func responseType(entry *Item, target string) ResponseType {
	want := comparable(target)
	if want == "" {
		return Mention
	}
	for _, rp := range responseProps {
		for _, v := range entry.Properties[rp.prop] {
			if comparable(v.Text) == want {
				return rp.typ
			}
			if v.Item != nil {
				for _, u := range v.Item.Properties["url"] {
					if comparable(u.Text) == want {
						return rp.typ
					}
				}
			}
		}
	}
	return Mention
}

// comparable normalises a URL for comparison: scheme ignored, host
// lower-cased, fragment dropped, an empty path is "/" and a trailing slash
// does not count. Non-web URLs give "".
func comparable(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	s = strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	return s
}

// representativeCard is a top-level h-card whose url is the page or its
// home page.
func representativeCard(items []*Item, pageURL *url.URL) *Item {
	if pageURL == nil {
		return nil
	}
	page, home := comparable(pageURL.String()), comparable(pageURL.Scheme+"://"+pageURL.Host+"/")
	for _, it := range items {
		if !it.Has("h-card") {
			continue
		}
		for _, u := range it.Properties["url"] {
			if c := comparable(u.Text); c == page || c == home {
				return it
			}
		}
	}
	return nil
}

// authorOf reads an author value: an h-card, a URL or a name.
func authorOf(v Value, ok bool, pageURL *url.URL) (name, link, photo string) {
	switch {
	case ok && v.Item != nil:
		if n, ok := v.Item.First("name"); ok {
			name = n.Text
		}
		if u, ok := v.Item.First("url"); ok {
			link = webURL(u.Text)
		}
		if p, ok := v.Item.First("photo"); ok {
			photo = webURL(p.Text)
		}
		if name == "" {
			name = v.Text
		}
	case ok && webURL(v.Text) != "":
		link = webURL(v.Text)
	case ok:
		name = v.Text
	}
	name = bound(oneLine(name), MaxName)
	if name == "" {
		u, _ := url.Parse(link)
		if link == "" || u == nil {
			u = pageURL
		}
		if hn, hl := hostAuthor(u); hn != "" {
			name = hn
			if link == "" {
				link = hl
			}
		}
	}
	return name, link, photo
}

// hostAuthor names an author by the host of a page: "example.com" and
// its home page.
func hostAuthor(u *url.URL) (name, link string) {
	if u == nil || u.Host == "" {
		return "", ""
	}
	return bound(strings.ToLower(u.Hostname()), MaxName), webURL(u.Scheme + "://" + u.Host + "/")
}

// contentOf: e-content as text with paragraphs, else p-content, p-summary,
// p-name.
func contentOf(entry *Item) string {
	for _, prop := range []string{"content", "summary", "name"} {
		if v, ok := entry.First(prop); ok && strings.TrimSpace(v.Text) != "" {
			return bound(strings.TrimSpace(v.Text), MaxContent)
		}
	}
	return ""
}

// webURL returns s when it is an absolute http(s) URL of at most MaxURL
// bytes, else "".
func webURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > MaxURL || u.User != nil {
		return ""
	}
	return u.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// bound cuts s to at most n characters.
func bound(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return strings.TrimSpace(s[:j])
		}
		i++
	}
	return s
}

// dateLayouts are the forms of dt-published seen in the wild: RFC 3339 and
// its relatives with a space, without seconds, without a zone, a date.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseDate reads a microformats date; without a zone it is UTC. It
// returns the zero time when s is not a date.
func ParseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return time.Time{}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
