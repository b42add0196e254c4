package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Truncate returns the first n characters (runes) of s, or s when it is
// shorter. A negative n counts as zero.
func Truncate(s string, n int) string {
	i := 0
	for pos := range s {
		if i >= n {
			return s[:pos]
		}
		i++
	}
	return s
}

// TruncateBytes returns the longest prefix of s of at most n bytes that does
// not end inside a UTF-8 sequence: for columns and logs measured in bytes.
func TruncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Tail returns the last n characters (runes) of s, or s when it is shorter.
func Tail(s string, n int) string {
	count := utf8.RuneCountInString(s)
	if count <= n {
		return s
	}
	for i := range s {
		if count <= n {
			return s[i:]
		}
		count--
	}
	return ""
}

// Shorten returns s when it has at most n characters; otherwise its first
// characters, without the white space the cut leaves at the end, followed by
// tail, so that the result has at most n characters (tail included; a tail
// longer than n is itself cut). Shorten(s, n, "") cuts and trims only.
func Shorten(s string, n int, tail string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	keep := n - utf8.RuneCountInString(tail)
	if keep < 0 {
		return Truncate(tail, n)
	}
	return strings.TrimRightFunc(Truncate(s, keep), unicode.IsSpace) + tail
}
