package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// Slugify turns a title into a URL slug: accents are dropped from Latin letters,
// letters of other scripts are kept, everything else becomes single hyphens.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) > MaxSlugLen {
		out = strings.TrimRight(text.TruncateBytes(out, MaxSlugLen), "-")
	}
	return out
}

// ParseTags splits a comma-separated tag field, trimming and dropping repeats.
func ParseTags(field string) []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range strings.Split(field, ",") {
		name = strings.Join(strings.Fields(name), " ")
		slug := Slugify(name)
		if slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		out = append(out, name)
	}
	return out
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
// Deprecated: call text.TruncateBytes; kept for callers not yet moved.
func truncateUTF8(s string, n int) string { return text.TruncateBytes(s, n) }
