package trackback

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Protocol names a linkback protocol.
type Protocol string

// The linkback protocols Discover reports.
const (
	ProtocolWebmention Protocol = "webmention"
	ProtocolTrackBack  Protocol = "trackback"
	ProtocolPingback   Protocol = "pingback"
)

// Endpoint is where to send a notification about a link.
type Endpoint struct {
	Protocol Protocol // how to notify
	URL      string   // the Webmention endpoint, TrackBack ping URL or Pingback XML-RPC server
}

// MaxDiscoverBody is how much of a linked page Discover reads, in bytes.
const MaxDiscoverBody = 1 << 20

// Discover fetches link once, with a GET through client (pass the
// application's safe client: it must enforce the address, redirect and
// timeout policy; this package never uses http.DefaultClient), reads at
// most MaxDiscoverBody bytes of it and returns the first endpoint found, in
// this order: Webmention (FindWebmention, resolved against the final URL
// after redirects), TrackBack (FindRDFPingURL for link, then for the final
// URL), Pingback (FindPingback). The body is read only when the Link header
// names no Webmention endpoint and the page is text, HTML or XML.
//
// It returns ErrNoEndpoint when the page advertises nothing, an *HTTPError
// (wrapped) for a status outside 2xx, and ErrInvalidURL (wrapped) when link
// is not an absolute http(s) URL.
func Discover(ctx context.Context, client *http.Client, link string) (Endpoint, error) {
	if client == nil {
		return Endpoint{}, errNoClient
	}
	if _, ok := resolveRef(nil, link); !ok {
		return Endpoint{}, fmt.Errorf("trackback: discovering: %w", ErrInvalidURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return Endpoint{}, fmt.Errorf("trackback: discovering %s: %w", link, err)
	}
	req.Header.Set("Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return Endpoint{}, fmt.Errorf("trackback: discovering %s: %w", link, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Endpoint{}, fmt.Errorf("trackback: discovering %s: %w", link,
			&HTTPError{StatusCode: resp.StatusCode, Status: resp.Status})
	}
	var final *url.URL
	if resp.Request != nil && resp.Request.URL != nil {
		final = resp.Request.URL
	} else if final, err = url.Parse(link); err != nil {
		return Endpoint{}, fmt.Errorf("trackback: discovering: %w", ErrInvalidURL)
	}
	if u, ok := FindWebmention(resp.Header, nil, final); ok {
		return Endpoint{ProtocolWebmention, u}, nil
	}
	var body []byte
	if textual(resp.Header.Get("Content-Type")) {
		if body, err = io.ReadAll(io.LimitReader(resp.Body, MaxDiscoverBody)); err != nil {
			return Endpoint{}, fmt.Errorf("trackback: discovering %s: reading the page: %w", link, err)
		}
	}
	return endpointIn(resp.Header, body, link, final)
}

// endpointIn is the CPU half of Discover: the endpoint that a page fetched
// from link (final after redirects) advertises in its headers and body.
func endpointIn(header http.Header, body []byte, link string, final *url.URL) (Endpoint, error) {
	if u, ok := FindWebmention(header, nil, final); ok {
		return Endpoint{ProtocolWebmention, u}, nil
	}
	// One pass of the HTML tokenizer finds both the Webmention and the
	// Pingback elements; the order of precedence is applied afterwards.
	pingback, havePingback := FindPingback(header, nil)
	queries := []relQuery{webmentionQuery(final)}
	if !havePingback {
		queries = append(queries, pingbackQuery())
	}
	found := htmlRelHrefs(body, queries...)
	if found[0] != "" {
		return Endpoint{ProtocolWebmention, found[0]}, nil
	}
	if u, ok := FindRDFPingURL(body, link); ok {
		return Endpoint{ProtocolTrackBack, u}, nil
	}
	if f := final.String(); f != link {
		if u, ok := FindRDFPingURL(body, f); ok {
			return Endpoint{ProtocolTrackBack, u}, nil
		}
	}
	if !havePingback && found[1] != "" {
		pingback, havePingback = found[1], true
	}
	if havePingback {
		return Endpoint{ProtocolPingback, pingback}, nil
	}
	return Endpoint{}, ErrNoEndpoint
}

// textual reports whether a Content-Type may carry an HTML page or an RDF
// block. A missing or unparsable type counts as textual.
func textual(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return true
	}
	return strings.HasPrefix(mt, "text/") || mt == "application/xhtml+xml" ||
		mt == "application/xml" || strings.HasSuffix(mt, "+xml")
}
