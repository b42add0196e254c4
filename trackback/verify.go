package trackback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html/atom"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// ErrNoLinkBack means the source page does not link to the target: the
// linkback is not genuine (or the link was removed).
var ErrNoLinkBack = errors.New("trackback: the source page does not link to this post")

// Verify fetches source once through client and reports whether it links to
// target. It returns nil when it does, ErrNoLinkBack when the page was read
// and has no such link, an *HTTPError (wrapped; 410 Gone is not retryable)
// for a status outside 2xx, and other errors for network failures
// (IsRetryable tells them apart).
func Verify(ctx context.Context, client *http.Client, source, target string) error {
	body, base, err := fetchSource(ctx, client, source)
	if err != nil {
		return err
	}
	if !LinksTo(body, base, target) {
		return ErrNoLinkBack
	}
	return nil
}

// fetchSource GETs a linkback's source page once and returns up to
// MaxDiscoverBody bytes of it and its final URL (after redirects).
func fetchSource(ctx context.Context, client *http.Client, source string) ([]byte, *url.URL, error) {
	if client == nil {
		return nil, nil, errNoClient
	}
	if _, ok := resolveRef(nil, source); !ok {
		return nil, nil, fmt.Errorf("trackback: verifying: %w", ErrInvalidURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("trackback: verifying %s: %w", source, err)
	}
	req.Header.Set("Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("trackback: verifying %s: %w", source, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, fmt.Errorf("trackback: verifying %s: %w", source, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status})
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxDiscoverBody))
	if err != nil && len(body) == 0 {
		return nil, nil, fmt.Errorf("trackback: verifying %s: reading the page: %w", source, err)
	}
	return body, resp.Request.URL, nil
}

// LinksTo reports whether an HTML page (found at base) has an <a> or <area>
// whose (first) href, resolved against base, is target. The comparison ignores the
// fragment, a trailing slash, the host's case, a default port and http versus
// https, and, when target has no query string, the link's query string (a
// permalink with tracking parameters), so the usual ways of writing one
// permalink all count.
func LinksTo(page []byte, base *url.URL, target string) bool {
	want, ok := comparableURL(nil, target)
	if !ok {
		return false
	}
	found := false
	text.WalkHTML(page, text.Visitor{Link: func(l text.Link) bool {
		if l.Tag != atom.Link {
			got, ok := comparableURL(base, l.Href)
			found = ok && sameLink(want, got)
		}
		return !found
	}})
	return found
}

// comparableURL normalises a link for LinksTo.
func comparableURL(base *url.URL, ref string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", false
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	host := strings.ToLower(u.Host)
	if p := u.Port(); p == "80" || p == "443" { // http versus https counts as one, so both defaults do
		host = strings.TrimSuffix(host, ":"+p)
	}
	s := host + path
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	return s, true
}

// sameLink compares a link with the wanted target, both from comparableURL:
// a target without a query also matches the link with any query.
func sameLink(want, got string) bool {
	if got == want {
		return true
	}
	page, _, hasQuery := strings.Cut(got, "?")
	return hasQuery && !strings.Contains(want, "?") && page == want
}
