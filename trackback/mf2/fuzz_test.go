package mf2

import (
	"net/url"
	"testing"
	"unicode/utf8"
)

// FuzzMF2Find: any page parses without panicking, and what Find returns
// stays within its bounds: valid UTF-8, a known type, names and content cut,
// URLs absolute http(s) and short.
func FuzzMF2Find(f *testing.F) {
	f.Add(`<div class="h-entry"><a class="u-in-reply-to" href="/t">r</a><div class="p-author h-card"><img class="u-photo" src="a.png" alt="A"></div><div class="e-content"><p>x</p><p>y</p></div><time class="dt-published" datetime="2026-01-02T03:04:05Z"></time></div>`)
	f.Add(`<div class="h-feed"><span class="p-author">me</span><div class="h-entry"><span class="u-like-of h-cite"><a class="u-url" href="https://blog.example/t">t</a></span></div></div>`)
	f.Add(`<base href="//evil.example/"><div class="h-card"><a class="u-url p-name" href="/">n</a></div><div class="h-entry"><span class="dt-published"><span class="value-title" title="2026-01-02"></span></span></div>`)
	f.Add("<div class=\"h-entry\"><span class=\"p-name\">\xff\xfe<b>bold</b></span><template class=\"h-entry\"></template></div>")
	source, _ := url.Parse("https://src.example/notes/1")
	f.Fuzz(func(t *testing.T, page string) {
		e := Find([]byte(page), source, "https://blog.example/t")
		switch e.Type {
		case Reply, Like, Repost, Bookmark, Mention:
		default:
			t.Fatalf("type %q", e.Type)
		}
		for name, s := range map[string]string{"name": e.AuthorName, "content": e.Content, "url": e.AuthorURL, "photo": e.AuthorPhoto} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not UTF-8: %q", name, s)
			}
		}
		if utf8.RuneCountInString(e.AuthorName) > MaxName || utf8.RuneCountInString(e.Content) > MaxContent {
			t.Fatalf("unbounded: name %d, content %d", len(e.AuthorName), len(e.Content))
		}
		if e.AuthorName == "" {
			t.Fatal("no author name")
		}
		for _, u := range []string{e.AuthorURL, e.AuthorPhoto} {
			if u != "" && webURL(u) != u {
				t.Fatalf("not a web URL: %q", u)
			}
		}
	})
}
