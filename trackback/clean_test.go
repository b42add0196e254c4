package trackback

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"short text unchanged", "Hello world", "Hello world"},
		{"HTML stripped", "<p>Hello <em>big</em><br/>world</p>", "Hello big world"},
		{"entities decoded", "Fish &amp; chips &#8230; &eacute;", "Fish & chips … é"},
		{"exactly 255", strings.Repeat("x", 255), strings.Repeat("x", 255)},
		{"256 cut", strings.Repeat("x", 256), strings.Repeat("x", 252) + "..."},
		{"multibyte cut by rune", strings.Repeat("語", 300), strings.Repeat("語", 252) + "..."},
		{"markup does not count", "<p>" + strings.Repeat("<b>y</b>", 255) + "</p>", strings.Repeat("y", 255)},
		{"scripts dropped", "a<script>if (a<b) {}</script> b", "a b"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Excerpt(tt.in)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > MaxExcerpt {
				t.Errorf("%d runes", n)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain", "plain"},
		{"a<b", "a<b"},
		{"1 < 2 > 0", "1 < 2 > 0"},
		{"x <!-- hidden --> y", "x y"},
		{"<div>one</div><div>two</div>", "one two"},
		{"in<b>line</b>", "inline"},
		{"&lt;script&gt;", "<script>"},
		{"tab\there\r\nnew", "tab here new"},
		{"&#0;&#x1;zero", "\uFFFDzero"},
		{"bidi \u202Eevil\u202C end", "bidi evil end"},
		{"marks \u200Fand\u200E isolates \u2066x\u2069, BOM \uFEFF, VT \v, NEL\u0085end", "marks and isolates x, BOM , VT , NEL end"},
		{"nonchar \uFFFF\uFDD0x", "nonchar x"},
		{"<style>p{color:red}</style>text", "text"},
		{"<title>T</title>body", "T body"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
