package handlers

import (
	"context"
	"sync"

	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
)

// Invalidator drops what a cache holds when a write changes what pages show.
// The handlers' settings and month-archive caches are one; a page cache
// registers itself with Server.AddInvalidator.
type Invalidator interface {
	// InvalidatePost drops one post's page (a post write also sends a lists note).
	InvalidatePost(id int64)
	// InvalidateLists drops the lists: home, archives, tags, feeds.
	InvalidateLists()
	// InvalidateAll drops everything (the settings changed).
	InvalidateAll()
}

// ChangeBus carries change notes: Changed applies one to every subscriber
// in this instance at once and tells the other instances sharing the
// database (cmd/crosstalk's bus over models.Changes on PostgreSQL), whose
// subscribers it reaches within a second.
type ChangeBus interface {
	Changed(ctx context.Context, ch models.Change)
	Subscribe(apply func(models.Change))
}

// LocalChanges is a ChangeBus for one instance: Changed reaches this
// process's subscribers only.
type LocalChanges struct {
	mu   sync.RWMutex
	subs []func(models.Change)
}

// Changed applies ch to every subscriber.
func (b *LocalChanges) Changed(_ context.Context, ch models.Change) { b.Apply(ch) }

// Apply hands ch to every subscriber: for a bus, a note from elsewhere.
func (b *LocalChanges) Apply(ch models.Change) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, apply := range b.subs {
		apply(ch)
	}
}

// Subscribe adds apply to the subscribers.
func (b *LocalChanges) Subscribe(apply func(models.Change)) {
	b.mu.Lock()
	b.subs = append(b.subs, apply)
	b.mu.Unlock()
}

// AddInvalidator makes inv hear of every change, here or on another instance.
func (s *Server) AddInvalidator(inv Invalidator) {
	s.cachesMu.Lock()
	s.caches = append(s.caches, inv)
	s.cachesMu.Unlock()
}

// applyChange passes one change note to every cache.
func (s *Server) applyChange(ch models.Change) {
	s.cachesMu.RLock()
	defer s.cachesMu.RUnlock()
	for _, inv := range s.caches {
		switch ch.Kind {
		case models.ChangePost:
			inv.InvalidatePost(ch.PostID)
		case models.ChangeLists:
			inv.InvalidateLists()
		default: // ChangeAll, and any kind this version does not know
			inv.InvalidateAll()
		}
	}
}

// serverCaches are the Server's own cached values as an Invalidator.
type serverCaches struct{ s *Server }

// InvalidatePost drops the month archive: the post may have moved in it.
func (c serverCaches) InvalidatePost(int64) { c.s.months.invalidate() }

// InvalidateLists drops the month archive and the menu.
func (c serverCaches) InvalidateLists() {
	c.s.months.invalidate()
	c.s.menu.invalidate()
}

// InvalidateAll drops the settings, the month archive and the menu.
func (c serverCaches) InvalidateAll() {
	c.s.site.invalidate()
	c.s.months.invalidate()
	c.s.menu.invalidate()
	c.s.authors.invalidate()
}

// pingLimiters makes the per-address and per-post limits of received
// linkbacks: in the shared RateStore when there is one, else in memory.
func (s *Server) pingLimiters(limits PingLimits) (perIP, perPost intake.Limiter) {
	if s.RateLimits == nil {
		return newLimiter(rateEvery(perMinute(limits.PerIPPerMinute)), limits.PerIPPerMinute, s.Now),
			newLimiter(rateEvery(perMinute(limits.PerPostPerMinute)), limits.PerPostPerMinute, s.Now)
	}
	shared := func(prefix string, n int) sharedLimiter {
		return sharedLimiter{store: s.RateLimits, prefix: prefix, every: perMinute(n), burst: n, now: s.Now, log: s.Log}
	}
	return shared("ping-ip:", limits.PerIPPerMinute), shared("ping-post:", limits.PerPostPerMinute)
}

// changingFeedback is the moderation queue as XML-RPC edits it: every
// successful write is a change for every instance.
type changingFeedback struct {
	xmlrpcapi.FeedbackStore
	changes ChangeBus
}

func (f changingFeedback) changed(ctx context.Context, err error) error {
	if err == nil {
		f.changes.Changed(ctx, models.Change{Kind: models.ChangeAll})
	}
	return err
}

// AddFeedback stores a comment; an approved one is a change for every instance.
func (f changingFeedback) AddFeedback(ctx context.Context, fb *models.Feedback) (bool, error) {
	created, err := f.FeedbackStore.AddFeedback(ctx, fb)
	if err == nil && created && fb.Status == models.ModApproved {
		f.changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: fb.PostID})
	}
	return created, err
}

// UpdateFeedback edits a comment and tells every instance.
func (f changingFeedback) UpdateFeedback(ctx context.Context, fb *models.Feedback) error {
	return f.changed(ctx, f.FeedbackStore.UpdateFeedback(ctx, fb))
}

// SetFeedbackStatus moderates and tells every instance.
func (f changingFeedback) SetFeedbackStatus(ctx context.Context, status models.ModerationStatus, ids ...int64) error {
	return f.changed(ctx, f.FeedbackStore.SetFeedbackStatus(ctx, status, ids...))
}

// DeleteFeedback deletes and tells every instance.
func (f changingFeedback) DeleteFeedback(ctx context.Context, ids ...int64) error {
	return f.changed(ctx, f.FeedbackStore.DeleteFeedback(ctx, ids...))
}
