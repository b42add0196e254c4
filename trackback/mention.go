package trackback

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html/atom"

	"github.com/crosstalk/crosstalk/trackback/text"
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
	var body, titleText strings.Builder
	linkStart, linkEnd := -1, -1
	inLink := false
	space := func() { body.WriteByte(' ') }
	text.WalkHTML(bytes.ToValidUTF8(page, []byte("\uFFFD")), text.Visitor{
		Text:  func(b []byte) { body.Write(b) },
		Title: func(b []byte) { titleText.Write(b) },
		Break: space,
		Link: func(l text.Link) bool {
			if l.Tag == atom.Link || linkStart >= 0 {
				return true
			}
			if got, ok := comparableURL(base, l.Href); ok && sameLink(want, got) {
				linkStart, inLink = body.Len(), l.Opens
				if !inLink {
					linkEnd = linkStart
				}
			}
			return true
		},
		EndLink: func() {
			if inLink {
				inLink, linkEnd = false, body.Len()
			}
		},
	})
	if linkStart < 0 {
		return "", "", false
	}
	all := body.String()
	if linkEnd < linkStart {
		linkEnd = len(all) // an <a> never closed runs to the end
	}
	before := text.Tail(all[:linkStart], contextRunes)
	link := text.Truncate(all[linkStart:linkEnd], contextRunes)
	after := text.Truncate(all[linkEnd:], contextRunes)
	title = text.Shorten(text.CleanLine(titleText.String()), MaxTitle, "")
	return title, cutExcerpt(text.CleanLine(before + link + after)), true
}

// CleanURL validates a linkback's source URL as ParsePing does (absolute
// http or https, a host, no userinfo, at most MaxURL bytes) and normalises it
// (host lower-cased, fragment dropped), so one page is one source. It
// returns ErrMissingURL or ErrInvalidURL.
func CleanURL(s string) (string, error) { return cleanURL(s) }
