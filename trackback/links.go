package trackback

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html/atom"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// FindWebmention returns the Webmention endpoint a page advertises, in the
// order the W3C Recommendation fixes: the first Link header link whose rel
// has the token "webmention" (every Link header is read, each may hold
// several comma-separated links, rel may be quoted and hold several
// space-separated values, the header name is matched case-insensitively),
// then the first <link> or <a> element with that rel token and an href
// attribute, in document order (comments and escaped text are not
// elements). The endpoint is resolved against base, which must be the
// page's final URL after redirects; an empty href means base itself. The
// query string is kept and the fragment dropped. Only http and https
// endpoints are returned; others are skipped. base may be nil, in which
// case only absolute endpoints are found.
func FindWebmention(header http.Header, body []byte, base *url.URL) (string, bool) {
	q := webmentionQuery(base)
	for _, v := range headerValues(header, "Link") {
		if u, ok := linkHeaderRel(v, q.rel, q.accept); ok {
			return u, true
		}
	}
	return htmlRelHref(body, q)
}

// webmentionQuery looks for <link> and <a> with rel webmention, resolving
// the endpoint against base.
func webmentionQuery(base *url.URL) relQuery {
	return relQuery{rel: "webmention", anchors: true,
		accept: func(ref string) (string, bool) { return resolveRef(base, ref) }}
}

// pingbackQuery looks for <link rel="pingback"> with an absolute href, as
// the Pingback specification requires.
func pingbackQuery() relQuery {
	return relQuery{rel: "pingback", accept: func(ref string) (string, bool) { return resolveRef(nil, ref) }}
}

// FindPingback returns the Pingback XML-RPC server a page advertises: the
// X-Pingback header, else the first <link rel="pingback" href="...">. The
// Pingback specification requires an absolute URI: relative ones, and
// anything but http and https, are skipped.
func FindPingback(header http.Header, body []byte) (string, bool) {
	for _, v := range headerValues(header, "X-Pingback") {
		if u, ok := pingbackQuery().accept(v); ok {
			return u, true
		}
	}
	return htmlRelHref(body, pingbackQuery())
}

// resolveRef parses an endpoint reference found in a page, resolves it
// against base (when not nil) and accepts only http(s) results.
func resolveRef(base *url.URL, ref string) (string, bool) {
	r, err := url.Parse(strings.Trim(ref, " \t\n\f\r"))
	if err != nil {
		return "", false
	}
	if !r.IsAbs() {
		if base == nil {
			return "", false
		}
		r = base.ResolveReference(r)
	}
	return httpURL(r)
}

// headerValues returns the values of the header field name, matching the
// name case-insensitively even in a hand-built http.Header.
func headerValues(h http.Header, name string) []string {
	vals := h.Values(name)
	canon := http.CanonicalHeaderKey(name)
	var odd []string
	for k := range h {
		if k != canon && strings.EqualFold(k, name) {
			odd = append(odd, k)
		}
	}
	slices.Sort(odd)
	for _, k := range odd {
		vals = append(vals, h[k]...)
	}
	return vals
}

// relQuery asks htmlRelHrefs for the first <link> element (or <a>, with
// anchors) whose rel attribute has the token rel and whose href accept takes.
type relQuery struct {
	rel     string
	anchors bool
	accept  func(string) (string, bool)
}

// htmlRelHref answers one relQuery; see htmlRelHrefs.
func htmlRelHref(body []byte, q relQuery) (string, bool) {
	found := htmlRelHrefs(body, q)
	return found[0], found[0] != ""
}

// htmlRelHrefs answers several relQuerys in one pass of the HTML tokenizer
// over body, returning the accepted href found for each ("" for none).
//
// Tokenizing a 1 MiB page costs several milliseconds, so it is avoided where
// it cannot find anything: a query is dropped before the pass unless some
// rel attribute in the raw text may hold its token (see relCandidates), the
// pass stops once every query is answered, and attributes are read only
// from link tags whose raw text holds a wanted token.
func htmlRelHrefs(body []byte, queries ...relQuery) []string {
	found := make([]string, len(queries))
	open, left := relCandidates(body, queries)
	if left == 0 {
		return found
	}
	text.WalkHTML(body, text.Visitor{
		Want: func(raw []byte) bool {
			for i, q := range queries {
				if open[i] && indexFold(raw, q.rel) >= 0 {
					return true
				}
			}
			return false
		},
		Link: func(l text.Link) bool {
			for i, q := range queries {
				if !open[i] || l.Tag == atom.Area || (l.Tag == atom.A && !q.anchors) || !hasToken(l.Rel, q.rel) {
					continue
				}
				if u, ok := q.accept(l.Href); ok {
					found[i], open[i] = u, false
					left--
				}
			}
			return left > 0
		},
	})
	return found
}

// hasToken reports whether the space-separated list holds tok, ignoring
// ASCII case.
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// linkHeaderRel parses one Link header value (RFC 8288: comma-separated
// "<target>; param=value; ..." links, commas allowed inside <> and quoted
// strings) and returns the first accepted target whose rel holds rel.
func linkHeaderRel(s, rel string, accept func(string) (string, bool)) (string, bool) {
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return "", false
		}
		if s[0] != '<' {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				return "", false
			}
			s = s[i+1:]
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			return "", false
		}
		target := s[1:end]
		var relVal string
		relVal, s = linkParams(s[end+1:])
		if hasToken(relVal, rel) {
			if u, ok := accept(target); ok {
				return u, true
			}
		}
	}
}

// linkParams reads the ";"-separated parameters of one link up to the
// comma that ends it, and returns the first rel value and the rest of s.
func linkParams(s string) (relVal, rest string) {
	haveRel := false
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" || s[0] == ',' {
			return relVal, s
		}
		if s[0] != ';' { // stray text: skip to the next parameter or link
			i := strings.IndexAny(s, ";,")
			if i < 0 {
				return relVal, ""
			}
			s = s[i:]
			continue
		}
		s = strings.TrimLeft(s[1:], " \t")
		i := strings.IndexAny(s, "=;, \t")
		if i < 0 {
			i = len(s)
		}
		name := s[:i]
		s = strings.TrimLeft(s[i:], " \t")
		var val string
		if s != "" && s[0] == '=' {
			s = strings.TrimLeft(s[1:], " \t")
			if s != "" && s[0] == '"' {
				val, s = quotedString(s)
			} else {
				j := strings.IndexAny(s, ";, \t")
				if j < 0 {
					j = len(s)
				}
				val, s = s[:j], s[j:]
			}
		}
		if !haveRel && strings.EqualFold(name, "rel") {
			relVal, haveRel = val, true
		}
	}
}

// quotedString reads an HTTP quoted-string at the start of s (s[0] is the
// opening quote) and returns its unescaped content and the rest of s.
func quotedString(s string) (string, string) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), s[i+1:]
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}
