package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ActorKey is a local actor's key pair, made with generate and stored the
// first time it is asked for. Two instances making one at once keep the
// first stored.
func (s *Store) ActorKey(ctx context.Context, local string, generate func() (priv, pub string, err error)) (*APKey, error) {
	var k APKey
	err := s.db.WithContext(ctx).Where("local_actor = ?", local).First(&k).Error
	if err == nil {
		return &k, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, translate(err, "actor key")
	}
	priv, pub, err := generate()
	if err != nil {
		return nil, err
	}
	k = APKey{LocalActor: local, PrivateKeyPem: priv, PublicKeyPem: pub, CreatedAt: s.now()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&k).Error; err != nil {
		return nil, translate(err, "store actor key")
	}
	err = s.db.WithContext(ctx).Where("local_actor = ?", local).First(&k).Error
	return &k, translate(err, "actor key")
}

// AddFollower records a Follow of a local actor. blocked is true (and
// nothing changes) when that actor was blocked by the blog's owner. A
// follower following again gets its inboxes and Follow id refreshed.
func (s *Store) AddFollower(ctx context.Context, f *Follower) (blocked bool, err error) {
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Follower
		err := tx.Where("local_actor = ? AND actor_id = ?", f.LocalActor, f.ActorID).First(&old).Error
		switch {
		case err == nil && old.Blocked:
			blocked = true
			return nil
		case err == nil:
			f.ID, f.CreatedAt = old.ID, old.CreatedAt
			return tx.Model(&old).Updates(map[string]any{"inbox": f.Inbox, "shared_inbox": f.SharedInbox,
				"follow_id": f.FollowID, "state": FollowAccepted, "updated_at": now}).Error
		case errors.Is(err, gorm.ErrRecordNotFound):
			f.State, f.CreatedAt, f.UpdatedAt = FollowAccepted, now, now
			return tx.Create(f).Error
		default:
			return err
		}
	})
	return blocked, translate(err, "add follower")
}

// RemoveFollower forgets a follower (an Undo Follow); a blocked one stays
// blocked. removed is false when there was none.
func (s *Store) RemoveFollower(ctx context.Context, local, actorID string) (removed bool, err error) {
	res := s.db.WithContext(ctx).Where("local_actor = ? AND actor_id = ? AND NOT blocked", local, actorID).Delete(&Follower{})
	return res.RowsAffected > 0, translate(res.Error, "remove follower")
}

// ForgetFollower removes a deleted remote account from every local
// actor's followers (a block stays).
func (s *Store) ForgetFollower(ctx context.Context, actorID string) error {
	err := s.db.WithContext(ctx).Where("actor_id = ? AND NOT blocked", actorID).Delete(&Follower{}).Error
	return translate(err, "forget follower")
}

// Followers lists the followers of a local actor ("" for every actor),
// blocked ones included when withBlocked, oldest first, at most limit.
func (s *Store) Followers(ctx context.Context, local string, withBlocked bool, limit int) ([]Follower, error) {
	q := s.db.WithContext(ctx).Order("id").Limit(limit)
	if local != "" {
		q = q.Where("local_actor = ?", local)
	}
	if !withBlocked {
		q = q.Where("NOT blocked")
	}
	var out []Follower
	return out, translate(q.Find(&out).Error, "followers")
}

// CountFollowers counts a local actor's followers (not the blocked).
func (s *Store) CountFollowers(ctx context.Context, local string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Follower{}).Where("local_actor = ? AND NOT blocked", local).Count(&n).Error
	return n, translate(err, "count followers")
}

// FollowerByID finds a follower row.
func (s *Store) FollowerByID(ctx context.Context, id int64) (*Follower, error) {
	var f Follower
	err := s.db.WithContext(ctx).First(&f, id).Error
	return &f, translate(err, "follower")
}

// SetFollowerBlocked blocks a follower (it stays listed, its Follows are
// refused) or unblocks it (the row goes: it may follow again).
func (s *Store) SetFollowerBlocked(ctx context.Context, id int64, blocked bool) error {
	db := s.db.WithContext(ctx)
	if !blocked {
		return translate(db.Delete(&Follower{}, id).Error, "unblock follower")
	}
	err := db.Model(&Follower{}).Where("id = ?", id).
		Updates(map[string]any{"blocked": true, "state": FollowBlocked, "updated_at": s.now()}).Error
	return translate(err, "block follower")
}

// DeleteFollower removes a follower row.
func (s *Store) DeleteFollower(ctx context.Context, id int64) error {
	return translate(s.db.WithContext(ctx).Delete(&Follower{}, id).Error, "delete follower")
}

// SaveRemoteActor stores or refreshes a fetched remote actor.
func (s *Store) SaveRemoteActor(ctx context.Context, a *RemoteActor) error {
	a.FetchedAt = s.now()
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(a).Error
	return translate(err, "save remote actor")
}

// RemoteActorByKey finds a cached remote actor by its key's id.
func (s *Store) RemoteActorByKey(ctx context.Context, keyID string) (*RemoteActor, error) {
	var a RemoteActor
	err := s.db.WithContext(ctx).Where("key_id = ?", keyID).Order("fetched_at DESC").First(&a).Error
	return &a, translate(err, "remote actor by key")
}

// RemoteActorByID finds a cached remote actor.
func (s *Store) RemoteActorByID(ctx context.Context, id string) (*RemoteActor, error) {
	var a RemoteActor
	err := s.db.WithContext(ctx).Where("id = ?", id).First(&a).Error
	return &a, translate(err, "remote actor")
}

// AddRemoteResponse stores a fediverse reply or reaction as feedback and
// maps its remote id to it, in one transaction, with its author's avatar
// (nil: none). created is false when the same remote object, or the same
// actor's reaction of that kind to the post, is stored already.
func (s *Store) AddRemoteResponse(ctx context.Context, f *Feedback, o *APObject, avatar *Avatar) (created bool, err error) {
	f.Kind = FeedbackFediverse
	f.Normalize()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if avatar != nil {
			f.AvatarSHA256 = avatar.SHA256
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(f)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		o.PostID, o.FeedbackID, o.CreatedAt = f.PostID, f.ID, s.now()
		res = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(o)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errDuplicate
		}
		if avatar != nil {
			avatar.FeedbackID, avatar.CreatedAt = f.ID, s.now()
			if err := tx.Create(avatar).Error; err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	if errors.Is(err, errDuplicate) {
		return false, nil
	}
	return created, translate(err, "add remote response")
}

// errDuplicate rolls back a response already stored.
var errDuplicate = errors.New("already stored")

// RemoteResponse finds the feedback a remote object became, if its actor
// is actorID ("" for any actor).
func (s *Store) RemoteResponse(ctx context.Context, remoteID, actorID string) (*APObject, error) {
	var o APObject
	q := s.db.WithContext(ctx).Where("remote_id = ?", remoteID)
	if actorID != "" {
		q = q.Where("actor_id = ?", actorID)
	}
	err := q.First(&o).Error
	return &o, translate(err, "remote response")
}

// RemoveRemoteResponse deletes the feedback of a remote object (a Delete
// or an Undo from its author) and says which post it was on: // the post it was on; 0 when nothing matched.
func (s *Store) RemoveRemoteResponse(ctx context.Context, remoteID, actorID string) (postID int64, err error) {
	o, err := s.RemoteResponse(ctx, remoteID, actorID)
	if errors.Is(err, ErrNotFound) || actorID == "" {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return o.PostID, s.DeleteFeedback(ctx, o.FeedbackID)
}

// RemoveReaction deletes an actor's reaction of a kind to a post (an Undo
// that names only the liked object).
func (s *Store) RemoveReaction(ctx context.Context, actorID string, kind ResponseType, postID int64) (bool, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Model(&APObject{}).Where("actor_id = ? AND kind = ? AND post_id = ?", actorID, kind, postID).
		Pluck("feedback_id", &ids).Error
	if err != nil || len(ids) == 0 {
		return false, translate(err, "find reaction")
	}
	return true, s.DeleteFeedback(ctx, ids...)
}

// UpdateRemoteReply replaces the text of a stored fediverse reply.
func (s *Store) UpdateRemoteReply(ctx context.Context, feedbackID int64, content string) error {
	f := Feedback{Content: content}
	f.Normalize()
	err := s.db.WithContext(ctx).Model(&Feedback{}).Where("id = ? AND kind = ?", feedbackID, FeedbackFediverse).
		Updates(map[string]any{"content": f.Content, "updated_at": s.now()}).Error
	return translate(err, "update remote reply")
}

// Published says whether and as what the fediverse holds a post.
func (s *Store) Published(ctx context.Context, postID int64) (*APPublished, error) {
	var p APPublished
	err := s.db.WithContext(ctx).Where("post_id = ?", postID).First(&p).Error
	return &p, translate(err, "published post")
}

// FederatedPosts counts the posts the fediverse holds.
func (s *Store) FederatedPosts(ctx context.Context) (int64, error) {
	var n int64
	return n, translate(s.db.WithContext(ctx).Model(&APPublished{}).Count(&n).Error, "count federated posts")
}

// Publish queues deliveries and records, in one transaction, that the
// fediverse now holds the post (p not nil) or no longer does (p nil).
func (s *Store) Publish(ctx context.Context, postID int64, p *APPublished, deliveries []APDelivery) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if p != nil {
			p.PostID, p.UpdatedAt = postID, now
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(p).Error; err != nil {
				return err
			}
		} else if err := tx.Where("post_id = ?", postID).Delete(&APPublished{}).Error; err != nil {
			return err
		}
		return s.queueDeliveries(tx, deliveries, now)
	})
	return translate(err, "publish to the fediverse")
}

// QueueDeliveries adds deliveries to the outbox, due now.
func (s *Store) QueueDeliveries(ctx context.Context, deliveries []APDelivery) error {
	return translate(s.queueDeliveries(s.db.WithContext(ctx), deliveries, s.now()), "queue deliveries")
}

func (s *Store) queueDeliveries(tx *gorm.DB, deliveries []APDelivery, now time.Time) error {
	if len(deliveries) == 0 {
		return nil
	}
	for i := range deliveries {
		d := &deliveries[i]
		d.State, d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = NotifyQueued, now, now, now
	}
	return tx.CreateInBatches(deliveries, 200).Error
}
