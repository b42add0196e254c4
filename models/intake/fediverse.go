package intake

import (
	"context"

	"github.com/crosstalk/crosstalk/models"

	"github.com/crosstalk/crosstalk/trackback"
)

// PublicPostAt finds the public post a URL on this blog names, for the
// fediverse's replies and reactions (models/federation), which name our
// posts by their permalinks: every spelling normaliseTarget accepts is one
// post. ErrTargetUnknown, ErrTargetRefused or ErrTargetInvalid otherwise.
func (s *Service) PublicPostAt(ctx context.Context, raw string) (*models.Post, error) {
	cleaned, err := trackback.CleanURL(raw)
	if err != nil {
		return nil, ErrTargetInvalid
	}
	post, err := s.postAt(ctx, cleaned)
	if err != nil {
		return nil, err
	}
	post, _, err = s.accepting(ctx, post, false)
	return post, err
}
