package trackback

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// pct percent-encodes every byte of b that is not unreserved, so that raw
// bytes of any charset survive the trip through a form body.
func pct(b []byte) string {
	const hex = "0123456789ABCDEF"
	var sb strings.Builder
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			sb.WriteByte(c)
		default:
			sb.WriteByte('%')
			sb.WriteByte(hex[c>>4])
			sb.WriteByte(hex[c&15])
		}
	}
	return sb.String()
}

// encode converts s to enc, failing the test if it cannot.
func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

// formBody builds a url-encoded body from name/raw-value pairs, in order.
func formBody(pairs ...string) string {
	var sb strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if sb.Len() > 0 {
			sb.WriteByte('&')
		}
		sb.WriteString(pairs[i] + "=" + pct([]byte(pairs[i+1])))
	}
	return sb.String()
}

// checkPingInvariants reports every way p breaks the promises of Ping.
func checkPingInvariants(t testing.TB, p Ping) {
	t.Helper()
	for name, v := range map[string]string{"URL": p.URL, "Title": p.Title, "Excerpt": p.Excerpt, "BlogName": p.BlogName} {
		if !utf8.ValidString(v) {
			t.Errorf("%s is not valid UTF-8: %q", name, v)
		}
		if strings.ContainsFunc(v, text.Dropped) {
			t.Errorf("%s holds a control character: %q", name, v)
		}
		if v != strings.TrimSpace(v) || strings.Contains(v, "  ") {
			t.Errorf("%s has uncollapsed white space: %q", name, v)
		}
	}
	if !strings.HasPrefix(p.URL, "http://") && !strings.HasPrefix(p.URL, "https://") {
		t.Errorf("URL is not http(s): %q", p.URL)
	}
	if len(p.URL) > MaxURL {
		t.Errorf("URL is %d bytes", len(p.URL))
	}
	if p.Title == "" {
		t.Errorf("Title is empty")
	}
	if n := utf8.RuneCountInString(p.Title); n > MaxTitle {
		t.Errorf("Title is %d runes", n)
	}
	if n := utf8.RuneCountInString(p.Excerpt); n > MaxExcerpt {
		t.Errorf("Excerpt is %d runes", n)
	}
	if n := utf8.RuneCountInString(p.BlogName); n > MaxBlogName {
		t.Errorf("BlogName is %d runes", n)
	}
}
