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

// normaliseTarget checks a target URL the sender named and returns the
// form compared with the source. The stored and checked target stays as
// sent (issue 11 maps it to the post's permalink here).
func normaliseTarget(raw string) (string, error) {
	return trackback.CleanURL(raw)
}

// postByURL finds the published post a target URL names (/YYYY/MM/slug
// under BaseURL, or a post's old slug) and checks it takes linkbacks now.
// ErrTargetUnknown: the target definitely is no post here;
// ErrTargetRefused: it exists but takes no linkbacks (the home page, a page,
// pings closed) or is not under BaseURL at all.
func (s *Service) postByURL(ctx context.Context, target string) (*models.Post, models.Site, error) {
	u, err := url.Parse(strings.TrimSpace(target))
	base, berr := url.Parse(s.BaseURL)
	if err != nil || berr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil ||
		!strings.EqualFold(strings.TrimSuffix(u.Host, "."), base.Host) || len(target) > models.MaxURLLen {
		return nil, models.Site{}, ErrTargetRefused
	}
	rest, ok := strings.CutPrefix(u.Path, strings.TrimSuffix(base.Path, "/"))
	if !ok || rest != "" && rest[0] != '/' { // "/blogger/…" is not under "/blog"
		return nil, models.Site{}, ErrTargetRefused
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	var post *models.Post
	switch {
	case len(parts) == 3:
		if _, err := time.Parse("2006/01", parts[0]+"/"+parts[1]); err != nil {
			return nil, models.Site{}, ErrTargetUnknown
		}
		post, err = s.Posts.PostBySlug(ctx, models.KindPost, parts[2])
		if errors.Is(err, models.ErrNotFound) {
			post, err = s.Posts.RedirectedPost(ctx, parts[2])
		}
	case len(parts) == 1 && parts[0] != "":
		if _, err = s.Posts.PostBySlug(ctx, models.KindPage, parts[0]); err == nil {
			return nil, models.Site{}, ErrTargetRefused
		}
		return nil, models.Site{}, notFoundAs(err, ErrTargetUnknown)
	default:
		return nil, models.Site{}, ErrTargetRefused // the home page, archives, tags…
	}
	if err != nil {
		return nil, models.Site{}, notFoundAs(err, ErrTargetUnknown)
	}
	return s.accepting(ctx, post, true)
}

// notFoundAs turns the store's not-found into sentinel and keeps other errors.
func notFoundAs(err, sentinel error) error {
	if errors.Is(err, models.ErrNotFound) {
		return sentinel
	}
	return err
}

// isOurs reports whether a source URL is on this blog. Today it compares
// host names only (issue 11 makes it an origin question: scheme, host, port
// and base path).
func (s *Service) isOurs(source string) bool {
	u, err := url.Parse(source)
	base, berr := url.Parse(s.BaseURL)
	return err == nil && berr == nil && strings.EqualFold(strings.TrimSuffix(u.Hostname(), "."), base.Hostname())
}

// selfSource reports whether source must be refused as this blog itself: a
// post cannot mention itself, and the blog mentions its own posts only when
// the self-ping setting allows it.
func (s *Service) selfSource(ctx context.Context, source string, post *models.Post, site models.Site) bool {
	if permalink, _ := trackback.CleanURL(s.BaseURL + post.Path()); permalink == source {
		return true
	}
	if !s.isOurs(source) {
		return false
	}
	if !site.SelfPings {
		return true
	}
	other, _, err := s.postByURL(ctx, source)
	return err == nil && other.ID == post.ID
}
