package posts

import (
	"context"
	"errors"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// TrashKeep is how long a post stays in the trash before EmptyTrash
// deletes it, as WordPress's EMPTY_TRASH_DAYS.
const TrashKeep = 30 * 24 * time.Hour

// Trash moves the post with id to the trash, as WordPress's "Trash" and
// its XML-RPC deletePost do: readers lose it at once (the hooks drop its
// cached pages) and Restore brings it back. by is checked as CheckDelete.
func (s *Service) Trash(ctx context.Context, id int64, by *models.User) (*models.Post, error) {
	return s.trashOp(ctx, id, by, s.store.TrashPost, Trashed)
}

// Restore takes the post with id out of the trash, with the status it had.
func (s *Service) Restore(ctx context.Context, id int64, by *models.User) (*models.Post, error) {
	return s.trashOp(ctx, id, by, s.store.RestorePost, Restored)
}

func (s *Service) trashOp(ctx context.Context, id int64, by *models.User, op func(context.Context, int64) error, name Op) (*models.Post, error) {
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := CheckDelete(by, p); err != nil {
		return nil, err
	}
	if err := op(ctx, id); err != nil {
		return nil, err
	}
	if p, err = s.store.PostByID(ctx, id); err != nil {
		return nil, err
	}
	s.changed(ctx, name, p)
	return p, nil
}

// DeleteForGood deletes the post with id, with its comments, linkbacks and
// revisions, if by may delete it ("Delete permanently").
func (s *Service) DeleteForGood(ctx context.Context, id int64, by *models.User) (*models.Post, error) {
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := CheckDelete(by, p); err != nil {
		return nil, err
	}
	return s.Delete(ctx, id)
}

// EmptyTrash deletes the posts trashed more than TrashKeep ago and
// returns how many went; the jobs ticker calls it.
func (s *Service) EmptyTrash(ctx context.Context) (int, error) {
	n := 0
	for {
		ids, err := s.store.TrashedBefore(ctx, s.Now().Add(-TrashKeep), 100)
		if err != nil || len(ids) == 0 {
			return n, err
		}
		for _, id := range ids {
			if _, err := s.Delete(ctx, id); err != nil && !errors.Is(err, models.ErrNotFound) {
				return n, err // not found: another instance emptied it first
			}
			n++
		}
	}
}
