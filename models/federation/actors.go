package federation

import (
	"context"
	"errors"
	"html"
	"mime"
	"net/url"
	"path"
	"strings"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// Actor is the document of a local actor: the blog (a Service) or a writer
// who publishes (a Person). ErrNoActor for anything else.
func (s *Service) Actor(ctx context.Context, local string) (*activitypub.Actor, error) {
	site, err := s.site(ctx)
	if err != nil {
		return nil, err
	}
	// attributionDomains lets Mastodon credit the actor for the blog's
	// pages that name it in fediverse:creator.
	a := &activitypub.Actor{Context: activitypub.Context, ID: s.ActorID(local), URL: activitypub.Link(s.BaseURL + "/"),
		Discoverable: true, Endpoints: &activitypub.Endpoints{SharedInbox: s.SharedInbox()},
		AttributionDomains: []string{activitypub.Host(s.BaseURL)}}
	if local == models.BlogActor {
		a.Type, a.PreferredUsername, a.Name = "Service", site.BlogActorName, site.Title
		a.Summary = "<p>" + html.EscapeString(site.Tagline) + "</p>"
		a.Icon = s.siteIcon(site.Icon)
	} else {
		u, err := s.publisher(ctx, strings.TrimPrefix(local, "users/"))
		if err != nil {
			return nil, err
		}
		// No icon: the generated avatars are SVG, which Mastodon does not take.
		a.Type, a.PreferredUsername, a.Name = "Person", u.Name, u.Byline()
		a.URL = activitypub.Link(s.BaseURL + "/author/" + url.PathEscape(u.Name))
		if u.Bio != "" {
			a.Summary = "<p>" + html.EscapeString(u.Bio) + "</p>"
		}
	}
	a.Inbox, a.Outbox = a.ID+"/inbox", a.ID+"/outbox"
	a.Followers, a.Following = a.ID+"/followers", a.ID+"/following"
	k, err := s.Store.ActorKey(ctx, local, activitypub.NewKey)
	if err != nil {
		return nil, err
	}
	a.PublicKey = &activitypub.PublicKey{ID: a.ID + "#main-key", Owner: a.ID, PublicKeyPem: k.PublicKeyPem}
	return a, nil
}

// siteIcon is the site icon chosen in the settings as an actor's icon,
// at an absolute address; nil when none is chosen.
func (s *Service) siteIcon(icon string) *activitypub.Image {
	switch {
	case strings.HasPrefix(icon, "/") && !strings.HasPrefix(icon, "//"):
		icon = s.BaseURL + icon
	case !activitypub.IsHTTPURL(icon):
		return nil
	}
	img := &activitypub.Image{Type: "Image", URL: activitypub.Link(icon)}
	if u, err := url.Parse(icon); err == nil {
		img.MediaType = mime.TypeByExtension(strings.ToLower(path.Ext(u.Path)))
	}
	return img
}

// Handle is a local actor's fediverse address, @name@host.
func (s *Service) Handle(ctx context.Context, local string) (string, error) {
	a, err := s.Actor(ctx, local)
	if err != nil {
		return "", err
	}
	return "@" + a.PreferredUsername + "@" + s.host(), nil
}

// publisher finds the writer behind a user actor: one whose role publishes.
func (s *Service) publisher(ctx context.Context, login string) (*models.User, error) {
	if login == "" || strings.Contains(login, "@") {
		return nil, ErrNoActor
	}
	u, err := s.Store.UserByLogin(ctx, login)
	if errors.Is(err, models.ErrNotFound) || (err == nil && (u.Name != login || !u.Role.Federates())) {
		return nil, ErrNoActor
	}
	return u, err
}

// Resolve maps a WebFinger resource (acct:NAME@HOST, or an actor's id) to
// a local actor name. ErrNoActor when it names none of ours.
func (s *Service) Resolve(ctx context.Context, resource string) (string, error) {
	site, err := s.site(ctx)
	if err != nil {
		return "", err
	}
	if local := s.localActor(resource); local != "" {
		if _, err := s.Actor(ctx, local); err != nil {
			return "", err
		}
		return local, nil
	}
	acct, ok := strings.CutPrefix(resource, "acct:")
	if !ok {
		return "", ErrNoActor
	}
	name, host, ok := strings.Cut(strings.TrimPrefix(acct, "@"), "@")
	if !ok || !strings.EqualFold(host, s.host()) {
		return "", ErrNoActor
	}
	if strings.EqualFold(name, site.BlogActorName) {
		return models.BlogActor, nil
	}
	u, err := s.publisher(ctx, name)
	if err != nil {
		return "", err
	}
	return models.UserActor(u.Name), nil
}

// WebFinger is the JRD of a resource.
func (s *Service) WebFinger(ctx context.Context, resource string) (*activitypub.WebFinger, error) {
	local, err := s.Resolve(ctx, resource)
	if err != nil {
		return nil, err
	}
	a, err := s.Actor(ctx, local)
	if err != nil {
		return nil, err
	}
	jrd := activitypub.NewWebFinger("acct:"+a.PreferredUsername+"@"+s.host(), a.ID, string(a.URL))
	return &jrd, nil
}

// NodeInfo is the /nodeinfo/2.1 document.
func (s *Service) NodeInfo(ctx context.Context) (*activitypub.NodeInfo, error) {
	if _, err := s.site(ctx); err != nil {
		return nil, err
	}
	users, err := s.Store.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	posts, err := s.Store.FederatedPosts(ctx)
	if err != nil {
		return nil, err
	}
	return &activitypub.NodeInfo{Version: "2.1",
		Software:  activitypub.NodeInfoSoftware{Name: "crosstalk", Version: s.Version},
		Protocols: []string{"activitypub"}, Services: activitypub.NodeInfoServices{Inbound: []string{}, Outbound: []string{"atom1.0", "rss2.0"}},
		Usage:    activitypub.NodeInfoUsage{Users: activitypub.NodeInfoUsers{Total: users, ActiveHalfyear: users, ActiveMonth: users}, LocalPosts: posts},
		Metadata: map[string]any{}}, nil
}

// maxCollection bounds the items an outbox or followers page lists.
const maxCollection = 50

// Outbox lists a local actor's latest posts as Create activities (the
// blog's: every federated post; a writer's: theirs).
func (s *Service) Outbox(ctx context.Context, local string) (*activitypub.OrderedCollection, error) {
	if _, err := s.Actor(ctx, local); err != nil {
		return nil, err
	}
	posts, err := s.Store.PublishedPosts(ctx, models.PostFilter{Kind: models.KindPost, Limit: maxCollection})
	if err != nil {
		return nil, err
	}
	c := &activitypub.OrderedCollection{Context: activitypub.ASContext, ID: s.ActorID(local) + "/outbox", Type: "OrderedCollection"}
	for i := range posts {
		p := &posts[i]
		if !federates(p) {
			continue
		}
		author, err := s.authorActor(ctx, p)
		if err != nil {
			return nil, err
		}
		if local != models.BlogActor && author != local {
			continue
		}
		art := s.Article(p, author)
		c.OrderedItems = append(c.OrderedItems, s.activity("Create", author, art.ID+"#create", art, art.Published))
	}
	c.TotalItems = len(c.OrderedItems)
	return c, nil
}

// Followers is a local actor's followers collection: its size only, as
// GoToSocial does, so followers are not listed to strangers.
func (s *Service) Followers(ctx context.Context, local string) (*activitypub.OrderedCollection, error) {
	if _, err := s.Actor(ctx, local); err != nil {
		return nil, err
	}
	n, err := s.Store.CountFollowers(ctx, local)
	if err != nil {
		return nil, err
	}
	return &activitypub.OrderedCollection{Context: activitypub.ASContext, ID: s.ActorID(local) + "/followers",
		Type: "OrderedCollection", TotalItems: int(n)}, nil
}

// Following is empty: the blog follows nobody.
func (s *Service) Following(ctx context.Context, local string) (*activitypub.OrderedCollection, error) {
	if _, err := s.Actor(ctx, local); err != nil {
		return nil, err
	}
	return &activitypub.OrderedCollection{Context: activitypub.ASContext, ID: s.ActorID(local) + "/following",
		Type: "OrderedCollection"}, nil
}

// PostObject is the Article a post's permalink answers with when asked
// for ActivityStreams; ErrNoActor (404) for a post the fediverse may not
// hold (a page, a draft, password-protected, "do not federate").
func (s *Service) PostObject(ctx context.Context, p *models.Post) (*activitypub.Object, error) {
	if _, err := s.site(ctx); err != nil {
		return nil, err
	}
	if !federates(p) {
		return nil, ErrNoActor
	}
	author, err := s.authorActor(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.Article(p, author), nil
}
