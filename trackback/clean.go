package trackback

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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
func cutExcerpt(s string) string {
	if utf8.RuneCountInString(s) <= MaxExcerpt {
		return s
	}
	return truncateRunes(s, MaxExcerpt-len(ellipsis)) + ellipsis
}

// truncateRunes returns the first n runes of s.
func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// truncateTrim cuts s to n runes and trims the space the cut may leave.
func truncateTrim(s string, n int) string {
	t := truncateRunes(s, n)
	if len(t) == len(s) {
		return s
	}
	return strings.TrimRight(t, " ")
}

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
	return normalizeSpace(s)
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
			if z.Err() == io.EOF {
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
			if breaksWords(a) {
				b.WriteByte(' ')
			}
		}
	}
}

// breaksWords reports whether a tag separates the words around it.
func breaksWords(a atom.Atom) bool {
	switch a {
	case atom.Br, atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Pre,
		atom.Table, atom.Tr, atom.Td, atom.Th, atom.Hr, atom.Img, atom.Section, atom.Article,
		atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Figure, atom.Figcaption,
		atom.Address, atom.Main, atom.Title, atom.Option:
		return true
	}
	return false
}

// normalizeSpace drops control and invisible formatting characters,
// collapses runs of white space to one ASCII space and trims both ends.
func normalizeSpace(s string) string {
	if isTidyASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case dropRune(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isTidyASCII reports whether s is printable ASCII with single inner
// spaces only, which normalizeSpace would return unchanged.
func isTidyASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
			continue
		}
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// dropRune reports whether r is removed from received text: C0 and C1
// controls, DEL, the byte-order mark, bidirectional embedding, override and
// isolate controls (they can reorder the page around the text), and
// noncharacters.
func dropRune(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\uFEFF', r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
		return true
	case r >= '\uFDD0' && r <= '\uFDEF', r&0xFFFE == 0xFFFE:
		return true
	}
	return false
}
