package federation

import (
	"context"
	"encoding/json"

	"github.com/crosstalk/crosstalk/models"
)

// maxFollowersShown bounds the admin's followers list.
const maxFollowersShown = 1000

// FollowerList is every follower of every local actor, blocked ones
// included, for the admin's Followers screen.
func (s *Service) FollowerList(ctx context.Context) ([]models.Follower, error) {
	return s.Store.Followers(ctx, "", true, maxFollowersShown)
}

// DropFollower removes a follower on the blog owner's word, or blocks it
// (its next Follow is refused). Either way it is sent a Reject of its
// Follow, so its server stops showing it as following.
func (s *Service) DropFollower(ctx context.Context, id int64, block bool) error {
	f, err := s.Store.FollowerByID(ctx, id)
	if err != nil {
		return err
	}
	if !f.Blocked {
		follow, err := json.Marshal(map[string]string{"id": f.FollowID, "type": "Follow", "actor": f.ActorID, "object": s.ActorID(f.LocalActor)})
		if err != nil {
			return err
		}
		if err := s.reply(ctx, "Reject", f.LocalActor, follow, f.Inbox, f.ActorID); err != nil {
			return err
		}
	}
	if block {
		return s.Store.SetFollowerBlocked(ctx, id, true)
	}
	return s.Store.DeleteFollower(ctx, id)
}
