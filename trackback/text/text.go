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
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			for i < len(s) { // one U+FFFD per run, as strings.ToValidUTF8
				if r, size = utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || size != 1 {
					break
				}
				i++
			}
			b.WriteRune(utf8.RuneError)
			continue
		case r == '\r':
			b.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case r == '\u0085': // NEL, a line break
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case !Dropped(r):
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// CleanLine is Clean for one-line fields (names, titles, excerpts, URLs):
// every run of white space, newlines and tabs included, becomes one ASCII
// space and both ends are trimmed. CleanLine is idempotent.
func CleanLine(s string) string {
	if isPlain(s, false) {
		return s
	}
	s = Clean(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
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
