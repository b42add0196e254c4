package handlers

import (
	"context"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/federation"
	"github.com/crosstalk/crosstalk/models/intake"
)

// Inbox rate limits: what one remote server, and one remote actor, may
// post per minute. A busy Mastodon server's shared inbox sends a few
// activities a minute to a blog; a burst of a minute's worth is allowed.
const (
	inboxPerInstancePerMinute = 120
	inboxPerActorPerMinute    = 30
)

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
	s.fediverse = &federation.Service{Store: s.Fediverse, Posts: s.intake, Site: site, Client: s.Client, BaseURL: s.BaseURL,
		PerInstance: s.rateLimiter("ap-host:", inboxPerInstancePerMinute), PerActor: s.rateLimiter("ap-actor:", inboxPerActorPerMinute),
		FetchAvatar: s.FetchAvatar, Wake: s.WakeDeliveries, Now: s.Now, Log: s.Log, Version: s.Version,
		Changed: func(ctx context.Context, postID int64) {
			s.Changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: postID})
		}}
	if s.Fediverse != nil {
		s.PostService.OnChange(s.fediverse.OnPostChange)
	}
}
