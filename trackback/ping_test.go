package trackback

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

const formType = "application/x-www-form-urlencoded"

// TestParsePingBodyCharsets sends real bytes in each charset, percent-encoded.
func TestParsePingBodyCharsets(t *testing.T) {
	tests := []struct {
		name     string
		enc      encoding.Encoding
		charset  string // Content-Type parameter
		field    string // charset form field
		title    string
		excerpt  string
		blogName string
	}{
		{"utf-8", encoding.Nop, "utf-8", "", "日本語のタイトル", "Ünïcödé excerpt — ok", "Blog ✓"},
		{"UTF-8 upper case", encoding.Nop, "UTF-8", "", "Grüße", "straße", "b"},
		{"iso-8859-1", charmap.ISO8859_1, "ISO-8859-1", "", "Café Zürich", "Ça va? Señor", "Blög"},
		{"windows-1252", charmap.Windows1252, "windows-1252", "", "“Smart” quotes", "Price: 5 € – ok…", "Blog™"},
		{"shift_jis", japanese.ShiftJIS, "Shift_JIS", "", "日本語のテキスト", "これは抜粋です。ソ表", "ブログ"},
		{"euc-jp", japanese.EUCJP, "EUC-JP", "", "日本語のテキスト", "これは抜粋です。", "ブログ"},
		{"iso-2022-jp", japanese.ISO2022JP, "ISO-2022-JP", "", "日本語のテキスト", "これは抜粋です。", "ブログ"},
		{"gb18030", simplifiedchinese.GB18030, "GB18030", "", "中文标题", "这是摘要。𠀀", "博客"},
		{"big5", traditionalchinese.Big5, "Big5", "", "中文標題", "這是摘要。", "部落格"},
		{"koi8-r", charmap.KOI8R, "KOI8-R", "", "Привет мир", "Это выдержка", "Блог"},
		{"iso-8859-15", charmap.ISO8859_15, "iso-8859-15", "", "Œuvre €", "ŠŽšžŸ", "b"},
		{"field overrides header", japanese.ShiftJIS, "utf-8", "Shift_JIS", "日本語", "抜粋", "ブログ"},
		{"field without header", japanese.EUCJP, "", "euc-jp", "日本語", "抜粋", "ブログ"},
		{"field overrides wrong header", charmap.ISO8859_1, "shift_jis", "iso-8859-1", "Café", "Zürich", "Blög"},
		{"no charset, valid UTF-8", encoding.Nop, "", "", "Café ☕", "日本語", "b"},
		{"no charset, invalid UTF-8 is Windows-1252", charmap.Windows1252, "", "", "Café “q”", "naïve – ok", "Blög"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "title=" + pct(encode(t, tt.enc, tt.title)) +
				"&url=" + pct([]byte("http://www.example.com/entry/1")) +
				"&excerpt=" + pct(encode(t, tt.enc, tt.excerpt)) +
				"&blog_name=" + pct(encode(t, tt.enc, tt.blogName))
			if tt.field != "" {
				body += "&charset=" + tt.field
			}
			ct := formType
			if tt.charset != "" {
				ct += "; charset=" + tt.charset
			}
			p, err := ParsePingBody([]byte(body), ct)
			if err != nil {
				t.Fatalf("ParsePingBody: %v", err)
			}
			want := Ping{URL: "http://www.example.com/entry/1", Title: tt.title, Excerpt: tt.excerpt, BlogName: tt.blogName}
			if p != want {
				t.Errorf("got  %+q\nwant %+q", p, want)
			}
			checkPingInvariants(t, p)
		})
	}
}

func TestParsePingBodyCharsetErrors(t *testing.T) {
	sjisBad := "title=%81%FF&url=http%3A%2F%2Fa.example%2F"
	tests := []struct {
		name    string
		body    string
		ct      string
		wantErr error
	}{
		{"utf-7 header", "title=%2BAGEAYgBj-&url=http://a.example/", formType + "; charset=UTF-7", ErrUnsupportedCharset},
		{"utf-7 field", "title=x&url=http://a.example/&charset=utf-7", formType, ErrUnsupportedCharset},
		{"utf7 spelled without hyphen", "url=http://a.example/&charset=UTF7", formType, ErrUnsupportedCharset},
		{"unknown charset", "url=http://a.example/", formType + "; charset=x-klingon", ErrUnsupportedCharset},
		{"unknown field overrides good header", "url=http://a.example/&charset=bogus", formType + "; charset=utf-8", ErrUnsupportedCharset},
		{"replacement encoding refused", "url=http://a.example/", formType + "; charset=iso-2022-kr", ErrUnsupportedCharset},
		{"declared utf-8, invalid bytes", "title=Caf%E9&url=http://a.example/", formType + "; charset=utf-8", ErrUndecodable},
		{"declared shift_jis, invalid bytes", sjisBad, formType + "; charset=shift_jis", ErrUndecodable},
		{"declared euc-jp, invalid bytes", "excerpt=%A4&url=http://a.example/", formType + "; charset=euc-jp", ErrUndecodable},
		{"declared gb18030, invalid bytes", "blog_name=%81%20&url=http://a.example/", formType + "; charset=gb18030", ErrUndecodable},
		{"declared iso-2022-jp, bad escape", "title=%1B%24Bxx&url=http://a.example/", formType + "; charset=iso-2022-jp", ErrUndecodable},
		{"declared big5, invalid bytes", "title=%FF%FF&url=http://a.example/", formType + "; charset=big5", ErrUndecodable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePingBody([]byte(tt.body), tt.ct)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v (ping %+q)", err, tt.wantErr, p)
			}
			if p != (Ping{}) {
				t.Errorf("ping not empty on error: %+q", p)
			}
		})
	}
}

// TestParsePingBodyRealFFFD checks that a U+FFFD the sender really encoded is
// not mistaken for a decoding failure.
func TestParsePingBodyRealFFFD(t *testing.T) {
	tests := []struct {
		name string
		enc  encoding.Encoding
		cs   string
	}{
		{"gb18030", simplifiedchinese.GB18030, "gb18030"},
		{"utf-8", encoding.Nop, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "title=" + pct(encode(t, tt.enc, "a\uFFFDb")) + "&url=http://a.example/"
			p, err := ParsePingBody([]byte(body), formType+"; charset="+tt.cs)
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != "a\uFFFDb" {
				t.Errorf("title = %q", p.Title)
			}
		})
	}
}

func TestParsePingBodyURL(t *testing.T) {
	long := "http://example.com/" + strings.Repeat("a", MaxURL-len("http://example.com/"))
	tests := []struct {
		name    string
		url     string
		want    string
		wantErr error
	}{
		{"plain", "http://example.com/post", "http://example.com/post", nil},
		{"https with query, fragment dropped", "https://example.com/p?id=1&x=y#c2", "https://example.com/p?id=1&x=y", nil},
		{"surrounding space trimmed", "  http://example.com/\r\n", "http://example.com/", nil},
		{"scheme and host lower-cased", "HTTP://Example.com/a", "http://example.com/a", nil},
		{"IRI path escaped", "http://example.com/ü", "http://example.com/%C3%BC", nil},
		{"NUL dropped", "http://example.com/a\x00b", "http://example.com/ab", nil},
		{"exactly 2048 bytes", long, long, nil},
		{"2049 bytes", long + "a", "", ErrInvalidURL},
		{"missing", "", "", ErrMissingURL},
		{"blank", " \t ", "", ErrMissingURL},
		{"javascript", "javascript:alert(1)", "", ErrInvalidURL},
		{"javascript upper case", "JavaScript:alert(document.cookie)//http://x", "", ErrInvalidURL},
		{"data", "data:text/html,<script>alert(1)</script>", "", ErrInvalidURL},
		{"ftp", "ftp://example.com/f", "", ErrInvalidURL},
		{"relative", "/post/1", "", ErrInvalidURL},
		{"scheme-relative", "//example.com/post", "", ErrInvalidURL},
		{"no scheme", "www.example.com/post", "", ErrInvalidURL},
		{"userinfo", "http://user:pass@example.com/", "", ErrInvalidURL},
		{"empty userinfo", "http://@example.com/", "", ErrInvalidURL},
		{"no host", "http:///path", "", ErrInvalidURL},
		{"port only", "http://:80/", "", ErrInvalidURL},
		{"opaque", "http:example.com", "", ErrInvalidURL},
		{"inner space", "http://example.com/a b", "", ErrInvalidURL},
		{"backslash trick", `http://evil.example\@good.example/`, "", ErrInvalidURL},
		{"quote", `http://example.com/"onmouseover="x`, "", ErrInvalidURL},
		{"angle brackets", "http://example.com/<script>", "", ErrInvalidURL},
		{"bad port", "http://example.com:port/", "", ErrInvalidURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePingBody([]byte(formBody("url", tt.url)), formType+"; charset=utf-8")
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if p.URL != tt.want {
				t.Errorf("URL = %q, want %q", p.URL, tt.want)
			}
			if err == nil {
				checkPingInvariants(t, p)
			}
		})
	}
}

func TestParsePingBodyCleaning(t *testing.T) {
	const u = "http://example.com/p"
	longExcerpt := strings.Repeat("abcdefghij", 1000)
	tests := []struct {
		name  string
		pairs []string
		want  Ping
	}{
		{
			name:  "spec example",
			pairs: []string{"title", "Foo Bar", "url", "http://www.bar.com/", "excerpt", "My Excerpt", "blog_name", "Foo"},
			want:  Ping{URL: "http://www.bar.com/", Title: "Foo Bar", Excerpt: "My Excerpt", BlogName: "Foo"},
		},
		{
			name: "HTML stripped in every field",
			pairs: []string{"title", "<b>Bold</b> &amp; <i>it</i>", "url", u,
				"excerpt", "<p>Para<br>one</p><script>alert('x')</script><style>p{}</style><!-- c --><p>two &lt;3</p>",
				"blog_name", `<a href="http://spam.example/">My&nbsp;Blog</a>`},
			want: Ping{URL: u, Title: "Bold & it", Excerpt: "Para one two <3", BlogName: "My Blog"},
		},
		{
			name:  "unclosed angle bracket is text",
			pairs: []string{"title", "if a<b then c", "url", u},
			want:  Ping{URL: u, Title: "if a<b then c"},
		},
		{
			name:  "NUL and control characters dropped",
			pairs: []string{"title", "a\x00b\x07c\x1bd", "url", u, "excerpt", "x\u0085y\u009fz\u202Eq\uFEFF", "blog_name", "\x00"},
			want:  Ping{URL: u, Title: "abcd", Excerpt: "x yzq"},
		},
		{
			name:  "white space collapsed and trimmed",
			pairs: []string{"title", "  a \t\n b  ", "url", u, "excerpt", "\r\n one\u00a0\u00a0two \u3000three ", "blog_name", " b "},
			want:  Ping{URL: u, Title: "a b", Excerpt: "one two three", BlogName: "b"},
		},
		{
			name:  "title falls back to five words of the excerpt",
			pairs: []string{"url", u, "excerpt", "<p>One two</p> three four five six seven"},
			want:  Ping{URL: u, Title: "One two three four five", Excerpt: "One two three four five six seven"},
		},
		{
			name:  "title of only markup falls back",
			pairs: []string{"title", "<br><img src=x>", "url", u, "excerpt", "few words"},
			want:  Ping{URL: u, Title: "few words", Excerpt: "few words"},
		},
		{
			name:  "no title, no excerpt: title is the url",
			pairs: []string{"url", u, "blog_name", "B"},
			want:  Ping{URL: u, Title: u, BlogName: "B"},
		},
		{
			name:  "excerpt of 10,000 characters",
			pairs: []string{"url", u, "title", "t", "excerpt", longExcerpt},
			want:  Ping{URL: u, Title: "t", Excerpt: longExcerpt[:252] + "..."},
		},
		{
			name:  "excerpt of exactly 255 characters kept",
			pairs: []string{"url", u, "title", "t", "excerpt", strings.Repeat("é", 255)},
			want:  Ping{URL: u, Title: "t", Excerpt: strings.Repeat("é", 255)},
		},
		{
			name:  "excerpt of 256 multibyte characters cut by rune",
			pairs: []string{"url", u, "title", "t", "excerpt", strings.Repeat("日", 256)},
			want:  Ping{URL: u, Title: "t", Excerpt: strings.Repeat("日", 252) + "..."},
		},
		{
			name:  "title cut to 250 and blog name to 100",
			pairs: []string{"url", u, "title", strings.Repeat("ü", 300), "blog_name", strings.Repeat("ß", 150)},
			want:  Ping{URL: u, Title: strings.Repeat("ü", 250), BlogName: strings.Repeat("ß", 100)},
		},
		{
			name:  "first occurrence of a field wins",
			pairs: []string{"url", u, "title", "first", "title", "second", "url", "http://other.example/"},
			want:  Ping{URL: u, Title: "first"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePingBody([]byte(formBody(tt.pairs...)), formType+"; charset=utf-8")
			if err != nil {
				t.Fatal(err)
			}
			if p != tt.want {
				t.Errorf("got  %+q\nwant %+q", p, tt.want)
			}
			checkPingInvariants(t, p)
		})
	}
}

func TestParsePingBodyExcerptLength(t *testing.T) {
	p, err := ParsePingBody([]byte(formBody("url", "http://a.example/", "excerpt", strings.Repeat("word ", 2000))), formType)
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(p.Excerpt); n != 255 || !strings.HasSuffix(p.Excerpt, "...") {
		t.Errorf("excerpt has %d runes, ends %q", n, p.Excerpt[len(p.Excerpt)-5:])
	}
}

func TestParsePingBodyRawForm(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    Ping
		wantErr error
	}{
		{"lenient bad escape", "url=http://a.example/&title=100%+sure+%zz", Ping{URL: "http://a.example/", Title: "100% sure %zz"}, nil},
		{"plus is space", "url=http://a.example/&title=a+b%2Bc", Ping{URL: "http://a.example/", Title: "a b+c"}, nil},
		{"escaped key", "%75rl=http://a.example/&blog%5Fname=x", Ping{URL: "http://a.example/", Title: "http://a.example/", BlogName: "x"}, nil},
		{"trailing newline", "url=http://a.example/&title=T\r\n", Ping{URL: "http://a.example/", Title: "T"}, nil},
		{"unrelated fields ignored", "__mode=ping&url=http://a.example/&foo=bar&title=T", Ping{URL: "http://a.example/", Title: "T"}, nil},
		{"empty body", "", Ping{}, ErrMissingURL},
		{"no url field", "title=T&excerpt=E", Ping{}, ErrMissingURL},
		{"key without value", "url&title=T", Ping{}, ErrMissingURL},
		{"too large", "url=http://a.example/&excerpt=" + strings.Repeat("a", MaxPingBody), Ping{}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePingBody([]byte(tt.body), formType)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if p != tt.want {
				t.Errorf("got  %+q\nwant %+q", p, tt.want)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) {
	return 0, errors.New("connection reset by peer 10.0.0.7")
}

func TestParsePing(t *testing.T) {
	okBody := "title=Foo+Bar&url=http://www.bar.com/&excerpt=My+Excerpt&blog_name=Foo"
	tests := []struct {
		name    string
		body    io.Reader
		limit   int64 // http.MaxBytesReader limit; 0 for none
		ct      string
		want    Ping
		wantErr error
		wantMsg string // ErrorMessage(err)
	}{
		{"ok", strings.NewReader(okBody), MaxPingBody, formType + "; charset=utf-8",
			Ping{URL: "http://www.bar.com/", Title: "Foo Bar", Excerpt: "My Excerpt", BlogName: "Foo"}, nil, ""},
		{"query string ignored, body only", strings.NewReader("title=T"), MaxPingBody, formType, Ping{}, ErrMissingURL, "No URL was given"},
		{"over the caller's MaxBytesReader", strings.NewReader(okBody + strings.Repeat("x", 200)), 100, formType, Ping{}, ErrTooLarge, ErrTooLarge.Error()},
		{"over MaxPingBody without a wrapper", strings.NewReader(okBody + "&excerpt=" + strings.Repeat("x", MaxPingBody)), 0, formType, Ping{}, ErrTooLarge, ErrTooLarge.Error()},
		{"read error", failingReader{}, 0, formType, Ping{}, nil, genericMessage},
		{"bad charset message names it", strings.NewReader("url=http://a.example/"), 0, formType + "; charset=\"x-\x01evil\"", Ping{}, ErrUnsupportedCharset, "The character set is not supported: x-evil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/trackback/1?url=http://query.example/", tt.body)
			r.Header.Set("Content-Type", tt.ct)
			if tt.limit > 0 {
				r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, tt.limit)
			}
			p, err := ParsePing(r)
			switch {
			case tt.wantMsg == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.wantMsg != "" && err == nil:
				t.Fatalf("no error, want %q", tt.wantMsg)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if got := ErrorMessage(err); got != tt.wantMsg {
					t.Errorf("ErrorMessage = %q, want %q", got, tt.wantMsg)
				}
			}
			if p != tt.want {
				t.Errorf("got %+q, want %+q", p, tt.want)
			}
		})
	}
}

func TestCleanURLNormalises(t *testing.T) {
	tests := map[string]string{
		"HTTP://A.Example/Case#frag":    "http://a.example/Case",
		"https://b.example.:8080/x":     "https://b.example:8080/x",
		"http://[2001:DB8::1]:81/p?q=1": "http://[2001:db8::1]:81/p?q=1",
	}
	for in, want := range tests {
		got, err := cleanURL(in)
		if err != nil || got != want {
			t.Errorf("cleanURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"http://.", "http://../x", "https://.:80/"} { // found by the fuzzer
		if got, err := cleanURL(in); err == nil {
			t.Errorf("cleanURL(%q) = %q, want ErrInvalidURL", in, got)
		}
	}
}
