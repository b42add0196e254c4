package trackback

import (
	"strings"
	"unicode/utf8"
)

// xmlEscape makes s safe as XML 1.0 character data or as a double- or
// single-quoted attribute value: the five markup characters become entity
// references, tab, newline and carriage return become character references
// (so attribute value normalisation keeps them), characters XML 1.0 forbids
// are dropped and invalid UTF-8 becomes U+FFFD.
func xmlEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t':
			b.WriteString("&#9;")
		case r == '\n':
			b.WriteString("&#10;")
		case r == '\r':
			b.WriteString("&#13;")
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case !xmlChar(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
