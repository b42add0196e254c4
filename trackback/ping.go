package trackback

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// MaxPingBody is the largest TrackBack request body accepted, in bytes.
// Callers wrap the request body in http.MaxBytesReader with this limit
// before calling ParsePing.
const MaxPingBody = 64 << 10

// MaxURL is the longest source URL accepted, in bytes.
const MaxURL = 2048

// Ping is one TrackBack ping. ParsePing returns it cleaned: valid UTF-8
// plain text without control characters, URL absolute http(s) and at most
// MaxURL bytes, Excerpt at most MaxExcerpt characters, Title at most
// MaxTitle and never empty, BlogName at most MaxBlogName. The text is not
// HTML-escaped: escape it on output.
type Ping struct {
	URL      string // the pinging entry's permalink (required)
	Title    string // the pinging entry's title
	Excerpt  string // a short plain-text extract of the pinging entry
	BlogName string // the name of the pinging weblog
}

// ParsePing reads and parses the url-encoded form body of a TrackBack ping
// request. It reads the body only (never the query string; "__mode" and
// the HTTP method are the caller's business) and at most MaxPingBody bytes
// of it. A body over the limit, or over the limit of an
// http.MaxBytesReader the caller installed, gives an error satisfying
// errors.Is(err, ErrTooLarge). See ParsePingBody for the rest.
func ParsePing(r *http.Request) (Ping, error) {
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, MaxPingBody+1))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return Ping{}, ErrTooLarge
			}
			return Ping{}, fmt.Errorf("trackback: reading the ping: %w", err)
		}
	}
	return ParsePingBody(body, r.Header.Get("Content-Type"))
}

// ParsePingBody parses an application/x-www-form-urlencoded TrackBack ping.
//
// Percent-escapes are decoded to raw bytes first, then each field is
// decoded from the charset named by a "charset" form field, else by the
// charset parameter of contentType; with neither, valid UTF-8 is read as
// UTF-8 and anything else as Windows-1252. Any encoding known to
// golang.org/x/text/encoding/htmlindex is accepted except UTF-7 and the
// WHATWG "replacement" encodings. The fields are then cleaned (see Ping):
// an excerpt over 255 characters becomes its first 252 plus "...", a
// missing title becomes the first five words of the excerpt, or else the
// URL. When a field occurs twice, the first wins.
//
// Errors satisfy errors.Is with ErrMissingURL, ErrInvalidURL,
// ErrUnsupportedCharset, ErrUndecodable or ErrTooLarge.
func ParsePingBody(body []byte, contentType string) (Ping, error) {
	if len(body) > MaxPingBody {
		return Ping{}, ErrTooLarge
	}
	f := parseForm(body)
	if len(bytes.TrimSpace(f.url)) == 0 {
		return Ping{}, ErrMissingURL
	}
	name := charsetParam(contentType)
	if cs := strings.TrimSpace(string(f.charset)); cs != "" {
		name = cs
	}
	dec, err := newTextDecoder(name, [][]byte{f.url, f.title, f.excerpt, f.blogName})
	if err != nil {
		return Ping{}, err
	}
	var raw [4]string
	for i, v := range [...][]byte{f.url, f.title, f.excerpt, f.blogName} {
		if raw[i], err = dec.decode(v); err != nil {
			return Ping{}, err
		}
	}
	var p Ping
	if p.URL, err = cleanURL(raw[0]); err != nil {
		return Ping{}, err
	}
	excerpt := cleanText(raw[2])
	p.Excerpt = cutExcerpt(excerpt)
	p.Title = cleanText(raw[1])
	if p.Title == "" {
		p.Title = firstWords(excerpt, titleWords)
	}
	if p.Title == "" {
		p.Title = p.URL
	}
	p.Title = text.Shorten(p.Title, MaxTitle, "")
	p.BlogName = text.Shorten(cleanText(raw[3]), MaxBlogName, "")
	return p, nil
}

// cleanURL validates and normalises a source URL.
func cleanURL(s string) (string, error) {
	s = text.CleanLine(s)
	if s == "" {
		return "", ErrMissingURL
	}
	if len(s) > MaxURL || strings.ContainsAny(s, " \"<>\\`") {
		return "", ErrInvalidURL
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") ||
		u.Opaque != "" || u.User != nil || u.Hostname() == "" {
		return "", ErrInvalidURL
	}
	// One page, one ping: the host's case and the fragment do not make a
	// different source, so they must not defeat duplicate suppression.
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "" || strings.HasPrefix(host, ".") { // "http://." names no host
		return "", ErrInvalidURL
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	u.Host = host + portSuffix(u.Port())
	u.Fragment, u.RawFragment = "", ""
	out := u.String()
	if len(out) > MaxURL || !utf8.ValidString(out) || strings.ContainsFunc(out, text.Dropped) ||
		strings.ContainsFunc(out, unicode.IsSpace) {
		return "", ErrInvalidURL
	}
	return out, nil
}

func portSuffix(port string) string {
	if port == "" {
		return ""
	}
	return ":" + port
}

// form holds the raw, percent-decoded bytes of the fields a ping uses.
type form struct {
	url, title, excerpt, blogName, charset []byte
}

// parseForm splits an url-encoded body. It is lenient like the CGI
// libraries senders were tested against: a "%" not followed by two hex
// digits is kept as it is, and pairs without "=" have an empty value.
func parseForm(body []byte) form {
	var f form
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte("&"))
		k, v, _ := bytes.Cut(pair, []byte("="))
		var dst *[]byte
		switch string(unescapeForm(k)) {
		case "url":
			dst = &f.url
		case "title":
			dst = &f.title
		case "excerpt":
			dst = &f.excerpt
		case "blog_name":
			dst = &f.blogName
		case "charset":
			dst = &f.charset
		default:
			continue
		}
		if *dst == nil {
			*dst = unescapeForm(v)
			if *dst == nil {
				*dst = []byte{}
			}
		}
	}
	return f
}

// unescapeForm decodes "+" and %XX escapes to raw bytes.
func unescapeForm(s []byte) []byte {
	if !bytes.ContainsAny(s, "%+") {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			out = append(out, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
