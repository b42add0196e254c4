package trackback

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Markers of the TrackBack RDF block, matched case-sensitively as XML is.
const (
	rdfOpen  = "<rdf:RDF"
	rdfClose = "</rdf:RDF>"
	rdfDesc  = "<rdf:Description"
)

// FindRDFPingURL returns the TrackBack ping URL that page advertises for
// link, scanning the raw text (the inside of HTML comments included) for
// <rdf:RDF>...</rdf:RDF> blocks the way Movable Type does. The block whose
// rdf:Description has a dc:identifier equal to link wins; failing that, the
// first whose identifier equals link once the "#fragment" of both is
// removed. Attributes may come in any order, quoted with ' or ", across
// lines; entities in them are decoded. A relative trackback:ping is
// resolved against link; the result must be http or https. The scan is
// linear in the size of page.
func FindRDFPingURL(page []byte, link string) (string, bool) {
	link = strings.TrimSpace(link)
	if link == "" {
		return "", false
	}
	linkBase := stripFragment(link)
	var fallback string
	rest := page
	for {
		i := bytes.Index(rest, []byte(rdfOpen))
		if i < 0 {
			break
		}
		rest = rest[i+len(rdfOpen):]
		j := bytes.Index(rest, []byte(rdfClose))
		if j < 0 {
			break // no later block can be closed either
		}
		block := rest[:j]
		rest = rest[j+len(rdfClose):]
		for {
			k := bytes.Index(block, []byte(rdfDesc))
			if k < 0 {
				break
			}
			block = block[k+len(rdfDesc):]
			id, ping, n := descriptionAttrs(block)
			block = block[n:]
			if ping == "" {
				continue
			}
			switch {
			case id == link:
				if u, ok := resolveHTTP(link, ping); ok {
					return u, true
				}
			case fallback == "" && stripFragment(id) == linkBase:
				if u, ok := resolveHTTP(link, ping); ok {
					fallback = u
				}
			}
		}
	}
	return fallback, fallback != ""
}

// descriptionAttrs reads the attributes of an rdf:Description start tag
// from just after its name up to the closing ">". It returns the decoded
// dc:identifier and trackback:ping values and the number of bytes read.
func descriptionAttrs(b []byte) (id, ping string, n int) {
	i := 0
	for i < len(b) {
		for i < len(b) && isSpaceByte(b[i]) {
			i++
		}
		if i >= len(b) {
			break
		}
		switch b[i] {
		case '>':
			return id, ping, i + 1
		case '/':
			i++
			continue
		}
		start := i
		for i < len(b) && !isSpaceByte(b[i]) && b[i] != '=' && b[i] != '>' && b[i] != '/' {
			i++
		}
		name := b[start:i]
		for i < len(b) && isSpaceByte(b[i]) {
			i++
		}
		if i >= len(b) || b[i] != '=' {
			continue // attribute without a value
		}
		i++
		for i < len(b) && isSpaceByte(b[i]) {
			i++
		}
		var val []byte
		if i < len(b) && (b[i] == '"' || b[i] == '\'') {
			q := b[i]
			i++
			end := bytes.IndexByte(b[i:], q)
			if end < 0 {
				return id, ping, len(b) // unterminated: give up on this tag
			}
			val = b[i : i+end]
			i += end + 1
		} else {
			start := i
			for i < len(b) && !isSpaceByte(b[i]) && b[i] != '>' {
				i++
			}
			val = b[start:i]
		}
		switch string(name) {
		case "dc:identifier":
			id = strings.TrimSpace(html.UnescapeString(string(val)))
		case "trackback:ping":
			ping = strings.TrimSpace(html.UnescapeString(string(val)))
		}
	}
	return id, ping, len(b)
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// stripFragment removes a "#fragment" from a URL string.
func stripFragment(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

// resolveHTTP resolves ref against base and accepts the result only if it
// is an absolute http or https URL with a host and no user information. The
// fragment is dropped.
func resolveHTTP(base, ref string) (string, bool) {
	b, err := url.Parse(base)
	if err != nil {
		b = nil
	}
	return resolveRef(b, ref)
}

// httpURL returns u as a string if it is an absolute http(s) URL with a
// host and no user information, without its fragment.
func httpURL(u *url.URL) (string, bool) {
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	c := *u
	c.Fragment, c.RawFragment = "", ""
	return c.String(), true
}
