package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
		line           bool // CleanLine instead of Clean
	}{
		{"plain kept", "Hello, world", "Hello, world", false},
		{"newline and tab kept", "a\n\tb", "a\n\tb", false},
		{"CR LF and lone CR become LF", "a\r\nb\rc", "a\nb\nc", false},
		{"NEL becomes LF", "a\u0085b", "a\nb", false},
		{"C0 controls dropped", "a\x00b\x07c\x0bd\x1be\x7ff", "abcdef", false},
		{"C1 controls dropped", "a\u0080b\u009fc", "abc", false},
		{"bidi controls dropped", "\u202Eevil\u202C \u2066x\u2069 \u200Fy\u200E\u061C", "evil x y", false},
		{"BOM and noncharacters dropped", "\uFEFFa\uFDD0b\uFFFEc\U0001FFFF", "abc", false},
		{"invalid UTF-8 replaced once per run", "a\xff\xfeb\xc3", "a\uFFFDb\uFFFD", false},
		{"other white space kept", "a  \u00a0 b ", "a  \u00a0 b ", false},
		{"letters of every script kept", "Grüße, 日本語 עברית", "Grüße, 日本語 עברית", false},
		{"line: tidy kept", "A title", "A title", true},
		{"line: white space collapsed and trimmed", "  a\r\n\t b\u00a0\u3000c  ", "a b c", true},
		{"line: controls dropped between letters", "a\x00b\x1bc", "abc", true},
		{"line: vertical tab and form feed are spaces", "a\vb\fc", "a b c", true},
		{"line: bidi override dropped", "\u202Egnp.exe", "gnp.exe", true},
		{"line: invalid UTF-8", "x\xffy", "x\uFFFDy", true},
		{"line: only controls", "\x00\u202E\uFEFF", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean := Clean
			if tt.line {
				clean = CleanLine
			}
			if got := clean(tt.in); got != tt.want {
				t.Errorf("got %q from %q, want %q", got, tt.in, tt.want)
			}
		})
	}
}

// checkClean reports the ways out breaks Clean's promises.
func checkClean(t *testing.T, fn string, out string, line bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8 %q", fn, out)
	}
	for _, r := range out {
		if Dropped(r) && (line || (r != '\n' && r != '\t')) {
			t.Errorf("%s: forbidden rune %U in %q", fn, r, out)
		}
	}
	if line && (out != strings.TrimSpace(out) || strings.Contains(out, "  ")) {
		t.Errorf("%s: white space not collapsed in %q", fn, out)
	}
	if strings.Contains(out, "\r") {
		t.Errorf("%s: CR left in %q", fn, out)
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "plain", "a\r\nb", "\u202E\x0b\xff\xfe", "\uFEFF\u2066x\u2069", "a\x85b\u0085c", "\r\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		checkClean(t, "Clean", c, false)
		if again := Clean(c); again != c {
			t.Errorf("Clean is not idempotent: %q -> %q -> %q", s, c, again)
		}
		l := CleanLine(s)
		checkClean(t, "CleanLine", l, true)
		if again := CleanLine(l); again != l {
			t.Errorf("CleanLine is not idempotent: %q -> %q -> %q", s, l, again)
		}
	})
}

// TestCuts checks Truncate, TruncateBytes and Tail, which never split a
// character.
func TestCuts(t *testing.T) {
	type cut struct {
		in   string
		n    int
		want string
	}
	for name, c := range map[string]struct {
		fn   func(string, int) string
		cuts []cut
	}{
		"Truncate": {Truncate, []cut{{"abc", -1, ""}, {"abc", 0, ""}, {"abc", 2, "ab"}, {"abc", 9, "abc"}, {"日本語", 2, "日本"}}},
		// é is two bytes, 日 three: neither is split
		"TruncateBytes": {TruncateBytes, []cut{{"abc", 0, ""}, {"abc", 2, "ab"}, {"abc", 5, "abc"}, {"aé", 2, "a"}, {"日本語", 7, "日本"}, {"日本語", 9, "日本語"}}},
		"Tail":          {Tail, []cut{{"abc", 0, ""}, {"abc", 2, "bc"}, {"abc", 5, "abc"}, {"日本語", 1, "語"}}},
	} {
		for _, tt := range c.cuts {
			if got := c.fn(tt.in, tt.n); got != tt.want || !utf8.ValidString(got) {
				t.Errorf("%s(%q, %d) = %q, want %q", name, tt.in, tt.n, got, tt.want)
			}
		}
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		tail string
		want string
	}{
		{"short", 10, "...", "short"},
		{"exactly", 7, "...", "exactly"},
		{"abcdefgh", 7, "...", "abcd..."},
		{"語語語語語語語語", 7, "...", "語語語語..."},
		{"one two three", 7, "...", "one..."}, // the cut's trailing space goes
		{"one two three", 6, "…", "one t…"},
		{"title  cut here", 7, "", "title"},
		{"abcdef", 2, "...", ".."},
	}
	for _, tt := range tests {
		got := Shorten(tt.in, tt.n, tt.tail)
		if got != tt.want {
			t.Errorf("Shorten(%q, %d, %q) = %q, want %q", tt.in, tt.n, tt.tail, got, tt.want)
		}
		if utf8.RuneCountInString(got) > tt.n {
			t.Errorf("Shorten(%q, %d, %q) = %q: longer than %d", tt.in, tt.n, tt.tail, got, tt.n)
		}
	}
}
