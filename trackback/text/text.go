// Package text holds the small text helpers every layer shares: Clean and
// CleanLine normalise user text before it is stored, Truncate, TruncateBytes,
// Tail and Shorten cut text at a character boundary, and WalkHTML is the one
// pass over an HTML page that finds its links and visible text.
//
// It imports only the standard library and golang.org/x/net/html, so the
// trackback library, the models and the handlers may all use it.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s as valid UTF-8 fit to store: each run of invalid bytes
// becomes U+FFFD, CR LF, lone CR and NEL (U+0085) become LF, and Dropped runes (control
// characters other than tab and newline, bidirectional controls, the
// byte-order mark, noncharacters) are removed. Everything else, white space
// included, is kept. Clean is idempotent.
func Clean(s string) string {
	if isPlain(s, true) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, next := nextRune(s, i)
		switch {
		case r == '\r' || r == '\u0085': // CR, CR LF and NEL are line breaks
			b.WriteByte('\n')
			if r == '\r' && next < len(s) && s[next] == '\n' {
				next++
			}
		case r == '\n' || r == '\t' || !Dropped(r):
			b.WriteRune(r)
		}
		i = next
	}
	return b.String()
}

// CleanLine is Clean for one-line fields (names, titles, excerpts, URLs):
// every run of white space (newlines, tabs, vertical tabs and form feeds
// included) becomes one ASCII space and both ends are trimmed. CleanLine is
// idempotent.
func CleanLine(s string) string {
	if isPlain(s, false) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, next := nextRune(s, i)
		i = next
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case Dropped(r):
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

// nextRune decodes the rune of s at i and returns it with the index after
// it; a run of invalid bytes is read as one utf8.RuneError, as
// strings.ToValidUTF8 replaces it.
func nextRune(s string, i int) (rune, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	if r != utf8.RuneError || size != 1 {
		return r, i + size
	}
	for i < len(s) {
		if r, size = utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || size != 1 {
			break
		}
		i++
	}
	return utf8.RuneError, i
}

// Dropped reports whether Clean removes r: C0 and C1 controls and DEL (tab
// and newline are kept by Clean), the byte-order mark, the bidirectional
// marks, embeddings, overrides and isolates (they can reorder the page
// around the text), and noncharacters.
func Dropped(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7F && r <= 0x9F:
		return true
	case r == '\uFEFF', r == '\u200E', r == '\u200F', r == '\u061C':
		return true
	case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
		return true
	case r >= '\uFDD0' && r <= '\uFDEF', r&0xFFFE == 0xFFFE:
		return true
	}
	return false
}

// isPlain reports whether s is printable ASCII that Clean (multiline) or
// CleanLine would return unchanged, so the common case costs no copy.
func isPlain(s string, multiline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x21 && c <= 0x7E:
		case c == ' ':
			if !multiline && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
				return false
			}
		case multiline && (c == '\n' || c == '\t'):
		default:
			return false
		}
	}
	return true
}
