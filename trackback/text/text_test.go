package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain kept", "Hello, world", "Hello, world"},
		{"newline and tab kept", "a\n\tb", "a\n\tb"},
		{"CR LF and lone CR become LF", "a\r\nb\rc", "a\nb\nc"},
		{"NEL becomes LF", "a\u0085b", "a\nb"},
		{"C0 controls dropped", "a\x00b\x07c\x0bd\x1be\x7ff", "abcdef"},
		{"C1 controls dropped", "a\u0080b\u009fc", "abc"},
		{"bidi controls dropped", "\u202Eevil\u202C \u2066x\u2069 \u200Fy\u200E\u061C", "evil x y"},
		{"BOM and noncharacters dropped", "\uFEFFa\uFDD0b\uFFFEc\U0001FFFF", "abc"},
		{"invalid UTF-8 replaced once per run", "a\xff\xfeb\xc3", "a\uFFFDb\uFFFD"},
		{"other white space kept", "a  \u00a0 b ", "a  \u00a0 b "},
		{"letters of every script kept", "Grüße, 日本語 עברית", "Grüße, 日本語 עברית"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"tidy kept", "A title", "A title"},
		{"white space collapsed and trimmed", "  a\r\n\t b\u00a0\u3000c  ", "a b c"},
		{"controls dropped between letters", "a\x0bb", "ab"},
		{"bidi override dropped", "\u202Egnp.exe", "gnp.exe"},
		{"invalid UTF-8", "x\xffy", "x\uFFFDy"},
		{"only controls", "\x00\u202E\uFEFF", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanLine(tt.in); got != tt.want {
				t.Errorf("CleanLine(%q) = %q, want %q", tt.in, got, tt.want)
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

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", -1, ""},
		{"abc", 0, ""},
		{"abc", 2, "ab"},
		{"abc", 3, "abc"},
		{"abc", 9, "abc"},
		{"日本語", 2, "日本"},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestTruncateBytes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 0, ""},
		{"abc", 2, "ab"},
		{"abc", 5, "abc"},
		{"aé", 2, "a"}, // é is two bytes: not split
		{"日本語", 7, "日本"},
		{"日本語", 9, "日本語"},
	}
	for _, tt := range tests {
		got := TruncateBytes(tt.in, tt.n)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("TruncateBytes(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestTail(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 0, ""},
		{"abc", 2, "bc"},
		{"abc", 5, "abc"},
		{"日本語", 1, "語"},
	}
	for _, tt := range tests {
		if got := Tail(tt.in, tt.n); got != tt.want {
			t.Errorf("Tail(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
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
