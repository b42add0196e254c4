package intake

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
)

// normaliseTarget maps the target URL a sender named to the permalink of the
// post it names, and returns that post (published or not; the caller checks
// it takes linkbacks). Every way of writing a post's address is one target:
// the fragment and any query string are dropped, a trailing slash, the host's
// case and a default port do not count, http and https of the blog's own host
// are the same, and an old slug is its post. So the stored target is always
// the permalink, and a re-send naming a variant cannot change what the source
// must link to. ErrTargetInvalid: not an http(s) URL; ErrTargetRefused: not
// under the base URL, or not a post (home page, archives, a page);
// ErrTargetUnknown: no such post.
func (s *Service) normaliseTarget(ctx context.Context, raw string) (string, *models.Post, error) {
	cleaned, err := trackback.CleanURL(raw)
	if err != nil {
		return "", nil, ErrTargetInvalid
	}
	post, err := s.postAt(ctx, cleaned)
	if err != nil {
		return "", nil, err
	}
	return s.BaseURL + post.Path(), post, nil
}

// belowBase returns the path segments of a URL on this blog below the base
// URL's path (no empty ones, percent-decoded), or ErrTargetRefused for a URL
// elsewhere: another host or port, userinfo, not http or https. The scheme
// may be either, as one host serves one blog.
func belowBase(base *url.URL, raw string) ([]string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Opaque != "" ||
		len(raw) > models.MaxURLLen || !strings.EqualFold(strings.TrimSuffix(u.Hostname(), "."), base.Hostname()) ||
		!samePort(u, base) {
		return nil, ErrTargetRefused
	}
	rest, ok := strings.CutPrefix(u.Path, strings.TrimSuffix(base.Path, "/"))
	if !ok || rest != "" && rest[0] != '/' { // "/blogger/…" is not under "/blog"
		return nil, ErrTargetRefused
	}
	return strings.FieldsFunc(rest, func(r rune) bool { return r == '/' }), nil
}

// samePort: the base URL's explicit port, or with none, the default port of
// the URL's own scheme (http://host and https://host are the same blog).
func samePort(u, base *url.URL) bool {
	if p := base.Port(); p != "" {
		return u.Port() == p
	}
	switch u.Port() {
	case "":
		return true
	case "80":
		return u.Scheme == "http"
	case "443":
		return u.Scheme == "https"
	}
	return false
}

// postByURL finds the published post a target URL names (/YYYY/MM/slug
// under BaseURL, or a post's old slug) and checks it takes linkbacks now.
// ErrTargetUnknown: the target definitely is no post here;
// ErrTargetRefused: it exists but takes no linkbacks (the home page, a page,
// pings closed) or is not under BaseURL at all.
func (s *Service) postByURL(ctx context.Context, target string) (*models.Post, models.Site, error) {
	post, err := s.postAt(ctx, target)
	if err != nil {
		return nil, models.Site{}, err
	}
	return s.accepting(ctx, post, true)
}

// postAt finds the post a URL under BaseURL names, published or not.
func (s *Service) postAt(ctx context.Context, target string) (*models.Post, error) {
	base, err := url.Parse(s.BaseURL)
	if err != nil {
		return nil, ErrTargetRefused
	}
	parts, err := belowBase(base, target)
	if err != nil {
		return nil, err
	}
	var post *models.Post
	switch {
	case len(parts) == 3:
		if _, err := time.Parse("2006/01", parts[0]+"/"+parts[1]); err != nil {
			return nil, ErrTargetUnknown
		}
		post, err = s.Posts.PostBySlug(ctx, models.KindPost, parts[2])
		if errors.Is(err, models.ErrNotFound) {
			post, err = s.Posts.RedirectedPost(ctx, parts[2])
		}
	case len(parts) == 1:
		if _, err = s.Posts.PostBySlug(ctx, models.KindPage, parts[0]); err == nil {
			return nil, ErrTargetRefused
		}
		return nil, notFoundAs(err, ErrTargetUnknown)
	default:
		return nil, ErrTargetRefused // the home page, archives, tags…
	}
	if err != nil {
		return nil, notFoundAs(err, ErrTargetUnknown)
	}
	if post.Kind != models.KindPost {
		return nil, ErrTargetRefused
	}
	return post, nil
}

// notFoundAs turns the store's not-found into sentinel and keeps other errors.
func notFoundAs(err, sentinel error) error {
	if errors.Is(err, models.ErrNotFound) {
		return sentinel
	}
	return err
}

// isOurs reports whether a source URL is on this blog: its origin
// (scheme, host, port) and the base path are the blog's. Another blog on
// the same host but another port or path is someone else.
func (s *Service) isOurs(source string) bool {
	u, err := url.Parse(source)
	base, berr := url.Parse(s.BaseURL)
	if err != nil || berr != nil || !strings.EqualFold(u.Scheme, base.Scheme) ||
		models.DomainKey(u.Hostname()) != models.DomainKey(base.Hostname()) || port(u) != port(base) {
		return false
	}
	root := strings.TrimSuffix(base.Path, "/")
	return root == "" || u.Path == root || strings.HasPrefix(u.Path, root+"/")
}

// port is a URL's port, the scheme's default when none is written.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// selfSource checks a source on this blog's own origin. A post cannot
// mention itself, and the blog mentions its own posts only when the
// self-ping setting allows it and the source is one of its published posts
// that links to the target: that post is returned, so the linkback shows
// its real title rather than what the sender claimed. A source elsewhere
// returns nil and no error.
func (s *Service) selfSource(ctx context.Context, source string, post *models.Post, site models.Site) (*models.Post, error) {
	permalink, _ := trackback.CleanURL(s.BaseURL + post.Path())
	if permalink == source {
		return nil, ErrSelfSource
	}
	if !s.isOurs(source) {
		return nil, nil
	}
	if !site.SelfPings {
		return nil, ErrSelfSource
	}
	own, err := s.postAt(ctx, source)
	if errors.Is(err, ErrTargetUnknown) || errors.Is(err, ErrTargetRefused) {
		return nil, ErrSelfSource
	}
	if err != nil {
		return nil, err
	}
	if own.ID == post.ID || own.Kind != models.KindPost || !own.IsPublic() ||
		!trackback.LinksTo([]byte(own.BodyHTML), mustParse(permalink), permalink) {
		return nil, ErrSelfSource
	}
	return own, nil
}

func mustParse(raw string) *url.URL {
	u, _ := url.Parse(raw) // a cleaned URL always parses
	return u
}
