package trackback

import (
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// Length limits, in characters (runes), applied to received pings.
const (
	MaxExcerpt  = 255 // longer excerpts are cut to 252 characters plus "..."
	MaxTitle    = 250 // longer titles are cut
	MaxBlogName = 100 // longer blog names are cut
	// titleWords is how many words of the excerpt make a missing title
	// (Movable Type's LENGTH_ENTRY_PING_TITLE_FROM_TEXT).
	titleWords = 5
)

// ellipsis ends a cut excerpt, as Movable Type does.
const ellipsis = "..."

// Excerpt turns text, plain or HTML, into a TrackBack excerpt: tags are
// stripped, entities decoded, control characters dropped and white space
// collapsed; if more than 255 characters remain, the result is the first 252
// followed by "..." (Movable Type's rule).
func Excerpt(text string) string {
	return cutExcerpt(cleanText(text))
}

// cutExcerpt applies the 252 + "..." rule to already cleaned text.
func cutExcerpt(s string) string { return text.Shorten(s, MaxExcerpt, ellipsis) }

// firstWords returns the first n space-separated words of cleaned text.
func firstWords(s string, n int) string {
	words := strings.Fields(s)
	if len(words) > n {
		words = words[:n]
	}
	return strings.Join(words, " ")
}

// cleanText makes plain text out of a field: NUL bytes out, HTML tags (and
// script and style contents, and comments) removed, entities decoded,
// control characters dropped, runs of white space turned into one space,
// and the ends trimmed. s must be valid UTF-8; so is the result.
func cleanText(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = stripTags(strings.ReplaceAll(s, "\x00", ""))
	}
	return text.CleanLine(s)
}

// stripTags returns the text content of an HTML fragment, entities decoded.
// Block-level tags separate words with a space; inline tags vanish.
func stripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0 // inside <script> or <style>
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				// An unclosed "<" at the end (as in "a<b c") is text,
				// not a tag the tokenizer silently swallows.
				if rest := z.Raw(); len(rest) > 0 && skip == 0 {
					b.WriteString(html.UnescapeString(string(rest)))
				}
			}
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			}
			if text.BreaksWords(a) {
				b.WriteByte(' ')
			}
		}
	}
}
