package handlers

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/crosstalk/crosstalk/models"
)

// Why a Pingback or Webmention target was refused; Pingback maps them to its
// fault codes 32 and 33, Webmention answers 400 with the message.
var (
	errTargetUnknown = errors.New("The target is not a post on this blog.")
	errTargetRefused = errors.New("The target does not accept pingbacks or webmentions.")
)

// linkbackTarget finds the published post a Pingback or Webmention target
// URL names (/YYYY/MM/slug under BaseURL, or a post's old slug) and checks it
// accepts pings. It answers errTargetUnknown when the target definitely is
// no post here, errTargetRefused when it exists but takes no linkbacks (the
// home page, a page, pings closed), and store errors as they are.
func (s *Server) linkbackTarget(ctx context.Context, target string) (*models.Post, models.Site, error) {
	u, err := url.Parse(strings.TrimSpace(target))
	base, berr := url.Parse(s.BaseURL)
	if err != nil || berr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil ||
		!strings.EqualFold(strings.TrimSuffix(u.Host, "."), base.Host) || len(target) > models.MaxURLLen {
		return nil, models.Site{}, errTargetRefused
	}
	rest, ok := strings.CutPrefix(u.Path, strings.TrimSuffix(base.Path, "/"))
	if !ok || rest != "" && rest[0] != '/' { // "/blogger/…" is not under "/blog"
		return nil, models.Site{}, errTargetRefused
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	var post *models.Post
	switch {
	case len(parts) == 3:
		if _, _, ok := parseYearMonth(parts[0], parts[1]); !ok {
			return nil, models.Site{}, errTargetUnknown
		}
		post, err = s.Posts.PostBySlug(ctx, models.KindPost, parts[2])
		if errors.Is(err, models.ErrNotFound) {
			post, err = s.Posts.RedirectedPost(ctx, parts[2])
		}
	case len(parts) == 1 && parts[0] != "":
		if _, err = s.Posts.PostBySlug(ctx, models.KindPage, parts[0]); err == nil {
			return nil, models.Site{}, errTargetRefused
		}
	default:
		return nil, models.Site{}, errTargetRefused // the home page, archives, tags…
	}
	if errors.Is(err, models.ErrNotFound) || err == nil && !post.IsPublic() {
		return nil, models.Site{}, errTargetUnknown
	}
	if err != nil {
		return nil, models.Site{}, err
	}
	site, err := s.site.get(ctx)
	if err != nil {
		return nil, site, err
	}
	if !post.AcceptsPings(site, s.Now()) {
		return nil, site, errTargetRefused
	}
	return post, site, nil
}

// sourceHost is the host name shown as a linkback's author.
func sourceHost(source string) string {
	u, err := url.Parse(source)
	if err != nil {
		return ""
	}
	return truncate(u.Hostname(), models.MaxAuthorNameLen)
}

// selfSource reports whether source is on this blog and must be refused: a
// post cannot mention itself, and the blog mentions its own posts only when
// the self-ping setting allows it.
func (s *Server) selfSource(ctx context.Context, source string, post *models.Post, site models.Site) bool {
	u, err := url.Parse(source)
	base, berr := url.Parse(s.BaseURL)
	if err != nil || berr != nil || !strings.EqualFold(strings.TrimSuffix(u.Hostname(), "."), base.Hostname()) {
		return false
	}
	if !site.SelfPings {
		return true
	}
	other, _, err := s.linkbackTarget(ctx, source)
	return err == nil && other.ID == post.ID
}
