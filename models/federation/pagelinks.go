package federation

import (
	"context"
	"errors"

	"github.com/crosstalk/crosstalk/models"
)

// PageLinks is what a page advertises of the fediverse, so that pasting
// its address into a Mastodon search finds the ActivityPub document
// (<link rel="alternate" type="application/activity+json">) and Mastodon's
// link previews credit the author (fediverse:creator): for a post's page,
// the post's object id and its author's handle; for the home page (p nil),
// the blog's actor and no handle. Both are empty when federation is off or
// the post stays off the fediverse; a failure leaves them empty too (the
// page shows without them) and is returned for the log.
func (s *Service) PageLinks(ctx context.Context, p *models.Post) (alternate, creator string, err error) {
	if _, err := s.site(ctx); err != nil {
		if errors.Is(err, ErrDisabled) {
			err = nil
		}
		return "", "", err
	}
	if p == nil {
		return s.ActorID(models.BlogActor), "", nil
	}
	if !federates(p) {
		return "", "", nil
	}
	author, err := s.authorActor(ctx, p)
	if err != nil {
		return "", "", err
	}
	handle, err := s.Handle(ctx, author)
	if err != nil {
		return "", "", err
	}
	return s.ObjectID(p), handle, nil
}
