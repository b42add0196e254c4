package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/crosstalk/crosstalk/handlers"
	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
)

// changeBus is the handlers' ChangeBus across instances: a change is applied
// here at once and published with PostgreSQL's NOTIFY; listen applies the
// other instances' notes. On SQLite publishing does nothing.
type changeBus struct {
	handlers.LocalChanges
	shared *models.Changes
	log    *slog.Logger
}

var _ handlers.ChangeBus = (*changeBus)(nil)

// Changed applies ch here and tells the other instances.
func (b *changeBus) Changed(ctx context.Context, ch models.Change) {
	b.Apply(ch)
	if err := b.shared.Publish(context.WithoutCancel(ctx), ch); err != nil {
		b.log.ErrorContext(ctx, "publish a change to the other instances", "kind", ch.Kind, "err", err)
	}
}

// listen applies the other instances' changes until ctx ends.
func (b *changeBus) listen(ctx context.Context) {
	err := b.shared.Listen(ctx, time.Second, b.Apply, func(err error) {
		b.log.Error("listening for the other instances' changes: reconnecting", "err", err)
	})
	if err != nil {
		b.log.Error("cannot listen for the other instances' changes", "err", err)
	}
}

// changingVerifyStore is the verifier's store: a linkback it approves shows
// on its post's page, so that is a change for every instance.
type changingVerifyStore struct {
	*models.Store
	changes handlers.ChangeBus

	mu    sync.Mutex
	posts map[int64]int64 // feedback id → post id, of the linkbacks listed
}

var _ jobs.VerifyStore = (*changingVerifyStore)(nil)

// LinkbacksToVerify lists due linkbacks and remembers their posts.
func (s *changingVerifyStore) LinkbacksToVerify(ctx context.Context, n int) ([]models.LinkbackToVerify, error) {
	due, err := s.Store.LinkbacksToVerify(ctx, n)
	s.mu.Lock()
	s.posts = make(map[int64]int64, len(due))
	for _, l := range due {
		s.posts[l.ID] = l.PostID
	}
	s.mu.Unlock()
	return due, err
}

// FinishVerification records the check and, when it approved, tells
// every instance that the post's page changed.
func (s *changingVerifyStore) FinishVerification(ctx context.Context, id int64, state, note string, approve bool) error {
	if err := s.Store.FinishVerification(ctx, id, state, note, approve); err != nil || !approve {
		return err
	}
	s.mu.Lock()
	post := s.posts[id]
	s.mu.Unlock()
	ch := models.Change{Kind: models.ChangePost, PostID: post}
	if post == 0 {
		ch = models.Change{Kind: models.ChangeAll}
	}
	s.changes.Changed(ctx, ch)
	return nil
}
