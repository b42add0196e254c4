package posts

import (
	"context"

	"github.com/crosstalk/crosstalk/models"
)

// CheckWrite decides whether u may save p, which was old before (nil for a
// new post), with WordPress's rules (models.User.CanEditPost): a
// contributor writes their own drafts and submits them for review, an
// author also publishes their own, an editor writes anyone's posts and
// pages. A nil user is the system and may do anything. A refusal wraps
// models.ErrForbidden.
func CheckWrite(u *models.User, old, p *models.Post) error {
	if u == nil {
		return nil
	}
	if old == nil && p.AuthorID == 0 {
		p.AuthorID = u.ID
	}
	target := *p // as it will be stored: the author never changes on save
	if old != nil {
		target.AuthorID, target.Status, target.StatusBeforeTrash = old.AuthorID, old.Status, old.StatusBeforeTrash
	} else {
		target.Status = models.StatusDraft // the status asked for is checked next
	}
	if !u.CanEditPost(&target) {
		return forbidden("Sorry, you are not allowed to edit this post.")
	}
	if !u.MaySetStatus(p.Status) {
		return forbidden("Sorry, you are not allowed to publish posts on this site.")
	}
	return nil
}

// CheckDelete decides whether u may trash, restore or delete p for good.
func CheckDelete(u *models.User, p *models.Post) error {
	if u != nil && !u.CanDeletePost(p) {
		return forbidden("Sorry, you are not allowed to delete this post.")
	}
	return nil
}

// Refusal is a write the user's role does not allow; Is(models.ErrForbidden)
// is true, and Message is WordPress's wording, which XML-RPC clients show.
type Refusal struct{ Message string }

func (r *Refusal) Error() string { return "forbidden: " + r.Message }

// Is makes errors.Is(err, models.ErrForbidden) true.
func (r *Refusal) Is(target error) bool { return target == models.ErrForbidden }

func forbidden(msg string) error { return &Refusal{Message: msg} }

// withEditor names who saves, for the revision the store keeps.
func withEditor(ctx context.Context, u *models.User) context.Context {
	if u == nil {
		return ctx
	}
	return models.WithEditor(ctx, u.ID)
}
