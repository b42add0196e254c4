package handlers

import (
	"context"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/federation"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/views"
)

// InboxLimits bounds how fast fediverse inboxes take POSTs, each a token
// bucket refilled that many times a minute with a minute's worth of burst.
type InboxLimits struct {
	// PerSourcePerMinute is per network address, charged before the
	// signature is checked (forged requests spend only their sender's).
	PerSourcePerMinute int
	// PerInstancePerMinute and PerActorPerMinute are per remote server and
	// per remote actor, charged once the signature verifies.
	PerInstancePerMinute int
	PerActorPerMinute    int
}

// DefaultInboxLimits: a busy Mastodon server's shared inbox sends a few
// activities a minute to a blog. One address may be shared by many small
// servers (hosting services), so it gets the most.
func DefaultInboxLimits() InboxLimits {
	return InboxLimits{PerSourcePerMinute: 600, PerInstancePerMinute: 120, PerActorPerMinute: 30}
}

// withDefaults fills the zero limits from DefaultInboxLimits.
func (l InboxLimits) withDefaults() InboxLimits {
	d := DefaultInboxLimits()
	for _, f := range []struct{ v, def *int }{{&l.PerSourcePerMinute, &d.PerSourcePerMinute},
		{&l.PerInstancePerMinute, &d.PerInstancePerMinute}, {&l.PerActorPerMinute, &d.PerActorPerMinute}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return l
}

// rateLimiter is a token bucket per key refilled n times a minute, shared
// through the database when RateLimits is set, else in this process.
func (s *Server) rateLimiter(prefix string, n int) intake.Limiter {
	if s.RateLimits == nil {
		return newLimiter(rateEvery(perMinute(n)), n, s.Now)
	}
	return sharedLimiter{store: s.RateLimits, prefix: prefix, every: perMinute(n), burst: n, now: s.Now, log: s.Log}
}

// offSite is the settings with federation off: a server without a
// federation store serves no fediverse address.
func offSite(site func(context.Context) (models.Site, error)) func(context.Context) (models.Site, error) {
	return func(ctx context.Context) (models.Site, error) {
		st, err := site(ctx)
		st.Federation = false
		return st, err
	}
}

// buildFediverse makes the federation service and hooks it to post writes.
func (s *Server) buildFediverse() {
	site := s.site.get
	if s.Fediverse == nil {
		site = offSite(site)
	}
	limits := s.InboxLimits.withDefaults()
	s.fediverse = &federation.Service{Store: s.Fediverse, Posts: s.intake, Site: site, Client: s.Client, BaseURL: s.BaseURL,
		PerSource:   s.rateLimiter("ap-source:", limits.PerSourcePerMinute),
		PerInstance: s.rateLimiter("ap-host:", limits.PerInstancePerMinute), PerActor: s.rateLimiter("ap-actor:", limits.PerActorPerMinute),
		FetchAvatar: s.FetchAvatar, Wake: s.WakeDeliveries, Now: s.Now, Log: s.Log, Version: s.Version,
		Changed: func(ctx context.Context, postID int64) {
			s.Changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: postID})
		}}
	if s.Fediverse != nil {
		s.PostService.OnChange(s.fediverse.OnPostChange)
	}
}

// fediverseLinks adds what a post's page (p), or the home page (p nil),
// advertises of the fediverse; without them when that fails.
func (s *Server) fediverseLinks(ctx context.Context, l *views.Layout, p *models.Post) {
	var err error
	l.ActivityPubURL, l.FediverseCreator, err = s.fediverse.PageLinks(ctx, p)
	if err != nil {
		s.Log.ErrorContext(ctx, "fediverse links", "err", err)
	}
}
