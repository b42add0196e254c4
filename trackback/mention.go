package trackback

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// contextRunes is how much text around a link Mention keeps on each side
// (WordPress keeps 100; the excerpt is then cut to MaxExcerpt anyway).
const contextRunes = 100

// Mention fetches source once through client, as Verify does, and when the
// page links to target returns the page's <title> (cleaned, at most MaxTitle
// characters; empty when the page has none) and an excerpt of the text
// around the first such link (cleaned and cut like a TrackBack excerpt). It
// returns ErrNoLinkBack when the page was read and has no such link, and
// Verify's errors for pages that cannot be read.
func Mention(ctx context.Context, client *http.Client, source, target string) (title, excerpt string, err error) {
	body, base, err := fetchSource(ctx, client, source)
	if err != nil {
		return "", "", err
	}
	title, excerpt, ok := MentionIn(body, base, target)
	if !ok {
		return "", "", ErrNoLinkBack
	}
	return title, excerpt, nil
}

// MentionIn is Mention on a page already read from base: it reports whether
// the page links to target (by LinksTo's rules) with the title and excerpt.
func MentionIn(page []byte, base *url.URL, target string) (title, excerpt string, ok bool) {
	want, valid := comparableURL(nil, target)
	if !valid {
		return "", "", false
	}
	var text, titleText strings.Builder
	linkStart, linkEnd := -1, -1
	inTitle, skip, inLink := false, 0, false
	z := html.NewTokenizer(strings.NewReader(strings.ToValidUTF8(string(page), "\uFFFD")))
	for done := false; !done; {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			done = true
		case html.TextToken:
			switch {
			case inTitle:
				titleText.Write(z.Text())
			case skip == 0:
				text.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Title && titleText.Len() == 0 && tt == html.StartTagToken:
				inTitle = true
			case a == atom.Script || a == atom.Style || a == atom.Noscript || a == atom.Template:
				if tt == html.StartTagToken {
					skip++
				}
			case (a == atom.A || a == atom.Area) && hasAttr && linkStart < 0 && hrefMatches(z, base, want):
				linkStart = text.Len()
				inLink = a == atom.A && tt == html.StartTagToken
				if !inLink {
					linkEnd = linkStart
				}
			}
			if breaksWords(a) {
				text.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Title:
				inTitle = false
			case a == atom.Script || a == atom.Style || a == atom.Noscript || a == atom.Template:
				skip = max(skip-1, 0)
			case a == atom.A && inLink:
				inLink, linkEnd = false, text.Len()
			}
			if breaksWords(a) {
				text.WriteByte(' ')
			}
		}
	}
	if linkStart < 0 {
		return "", "", false
	}
	all := text.String()
	if linkEnd < linkStart {
		linkEnd = len(all) // an <a> never closed runs to the end
	}
	before := lastRunes(all[:linkStart], contextRunes)
	link := truncateRunes(all[linkStart:linkEnd], contextRunes)
	after := truncateRunes(all[linkEnd:], contextRunes)
	title = truncateTrim(normalizeSpace(titleText.String()), MaxTitle)
	return title, cutExcerpt(normalizeSpace(before + link + after)), true
}

// hrefMatches reads the current tag's attributes and reports whether its
// href, resolved against base, is want (a comparableURL).
func hrefMatches(z *html.Tokenizer, base *url.URL, want string) bool {
	for more := true; more; {
		var key, val []byte
		key, val, more = z.TagAttr()
		if string(key) == "href" {
			got, ok := comparableURL(base, string(val))
			return ok && got == want
		}
	}
	return false
}

// lastRunes returns the last n runes of s.
func lastRunes(s string, n int) string {
	count := utf8.RuneCountInString(s)
	if count <= n {
		return s
	}
	for i := range s {
		if count == n {
			return s[i:]
		}
		count--
	}
	return ""
}

// CleanURL validates a linkback's source URL as ParsePing does (absolute
// http or https, a host, no userinfo, at most MaxURL bytes) and normalises it
// (host lower-cased, fragment dropped), so one page is one source. It
// returns ErrMissingURL or ErrInvalidURL.
func CleanURL(s string) (string, error) { return cleanURL(s) }
