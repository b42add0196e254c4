package trackback

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRelCandidates(t *testing.T) {
	queries := []relQuery{webmentionQuery(nil), pingbackQuery()}
	tests := []struct {
		name   string
		body   string
		wm, pb bool
	}{
		{"quoted", `<link rel="webmention" href="/wm">`, true, false},
		{"unquoted, any case, spaces around =", `<A REL = WebMention href=/wm>`, true, false},
		{"single quotes, several tokens", `<link rel='me pingback' href=x>`, false, true},
		{"inside a comment still counts", `<!-- <link rel="webmention" href="/wm"> -->`, true, false},
		{"word in the text only", `<p>I support webmention and pingback.</p>`, false, false},
		{"another attribute named like rel", `<a data-rel="webmention" prel="pingback" href=x>`, false, false},
		{"rel without a value", `<a rel href="webmention">`, false, false},
		{"unterminated quote", `<a rel="webmention`, true, false},
		{"value over the limit", `<a rel="` + strings.Repeat("x ", maxRelValue) + `webmention">`, false, false},
		{"both", `<link rel=pingback href=x><a rel="webmention" href=y>`, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			open, n := relCandidates([]byte(tt.body), queries)
			if open[0] != tt.wm || open[1] != tt.pb {
				t.Errorf("webmention %v, pingback %v; want %v, %v", open[0], open[1], tt.wm, tt.pb)
			}
			want := 0
			for _, o := range []bool{tt.wm, tt.pb} {
				if o {
					want++
				}
			}
			if n != want {
				t.Errorf("n = %d, want %d", n, want)
			}
		})
	}
}

// TestRelCandidatesHostile checks the scan stays fast on pages made of
// nothing but rel attributes (it would hang here if it were quadratic).
func TestRelCandidatesHostile(t *testing.T) {
	for _, page := range []string{
		strings.Repeat(`rel="`, 1<<18),
		strings.Repeat(` rel=`, 1<<18),
		strings.Repeat(`<a rel="x" href=y>`, 1<<16),
	} {
		if open, _ := relCandidates([]byte(page), []relQuery{webmentionQuery(nil)}); open[0] {
			t.Errorf("candidate found in %.40s...", page)
		}
	}
}

// slowRelHref is the plain tokenizer scan that htmlRelHrefs speeds up.
func slowRelHref(body []byte, q relQuery) string {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if string(name) != "link" && (!q.anchors || string(name) != "a") {
				continue
			}
			var rel, href string
			var haveRel, ok bool
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch {
				case string(k) == "rel" && !haveRel:
					rel, haveRel = string(v), true
				case string(k) == "href" && !ok:
					href, ok = string(v), true
				}
			}
			if ok && hasToken(rel, q.rel) {
				if u, ok := q.accept(href); ok {
					return u
				}
			}
		}
	}
}

// FuzzHTMLRelHrefs checks the fast scan finds what the plain tokenizer
// finds. Pages with character references are left out: a rel token spelled
// with them is a documented blind spot of the fast scan.
func FuzzHTMLRelHrefs(f *testing.F) {
	for _, s := range []string{
		`<link rel="webmention" href="http://a.example/wm">`,
		`<!-- <link rel="webmention" href="http://a.example/wm"> --><a rel=webmention href=http://b.example/>x</a>`,
		`<script>"<link rel=pingback href=http://a.example/x>"</script><link rel=pingback href=http://b.example/x>`,
		`<a title="<b>" rel="me webmention" href="http://c.example/">`,
		`<textarea><a rel=webmention href=http://x.example/></textarea>`,
		mtPage, wpPage,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		if strings.Contains(page, "&") {
			t.Skip("character references are out of scope")
		}
		body := []byte(page)
		queries := []relQuery{webmentionQuery(nil), pingbackQuery()}
		got := htmlRelHrefs(body, queries...)
		for i, q := range queries {
			if want := slowRelHref(body, q); got[i] != want {
				t.Errorf("%s: got %q, want %q", q.rel, got[i], want)
			}
		}
	})
}
