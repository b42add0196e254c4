package models

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// queueNotifications brings the outbox of p in line with p, inside the
// transaction that saves it, so a publish and its notifications are stored
// together or not at all. A published post gets one queued notification per
// target it does not have yet: editing a published post notifies only new
// links, and no target is notified twice. Unsent notifications of links the
// writer removed or left out are dropped. A post that is not (or no longer)
// public keeps what is still queued on hold until it is published again.
func (s *Store) queueNotifications(tx *gorm.DB, p *Post) error {
	now := s.now()
	if p.Kind != KindPost || p.Status != StatusPublished {
		return tx.Model(&Notification{}).Where("post_id = ? AND state = ?", p.ID, NotifyQueued).
			Updates(map[string]any{"state": NotifyHeld, "updated_at": now}).Error
	}
	selfPings, err := s.selfPings(tx)
	if err != nil {
		return err
	}
	wanted := map[string]NotifyTarget{}
	targets := p.NotifyTargets(s.baseURL, selfPings)
	for _, t := range targets {
		if !t.Skipped {
			wanted[t.URL] = t
		}
	}
	var existing []Notification
	if err := tx.Select("id", "target_url", "state", "protocol").Where("post_id = ?", p.ID).Find(&existing).Error; err != nil {
		return err
	}
	var drop, resend []int64
	for _, n := range existing {
		_, want := wanted[n.TargetURL]
		switch {
		case !want && (n.State == NotifyQueued || n.State == NotifyHeld):
			drop = append(drop, n.ID)
		case n.Protocol == protocolWebmention && n.State.Settled():
			// The W3C spec asks for a Webmention on every update, to targets
			// still linked and to ones removed (so they can drop the mention).
			resend = append(resend, n.ID)
		}
		delete(wanted, n.TargetURL)
	}
	if len(drop) > 0 { // only rows no worker has taken meanwhile
		if err := tx.Where("id IN ? AND state IN ?", drop, []NotificationState{NotifyQueued, NotifyHeld}).
			Delete(&Notification{}).Error; err != nil {
			return err
		}
	}
	if len(resend) > 0 {
		if err := tx.Model(&Notification{}).Where("id IN ?", resend).
			Updates(map[string]any{"state": NotifyQueued, "next_attempt_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
	}
	var rows []Notification
	for _, t := range targets { // in the post's order
		if _, ok := wanted[t.URL]; ok {
			rows = append(rows, Notification{PostID: p.ID, TargetURL: t.URL, Direct: t.Direct, State: NotifyQueued,
				NextAttemptAt: now, CreatedAt: now, UpdatedAt: now})
		}
	}
	if len(rows) > 0 {
		// DO NOTHING: a concurrent save of the same post may have queued one.
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 100).Error; err != nil {
			return err
		}
	}
	return tx.Model(&Notification{}).Where("post_id = ? AND state = ?", p.ID, NotifyHeld).
		Updates(map[string]any{"state": NotifyQueued, "next_attempt_at": now, "updated_at": now}).Error
}

// selfPings reads the setting that lets the blog notify its own posts.
func (s *Store) selfPings(tx *gorm.DB) (bool, error) {
	var rows []setting
	if err := tx.Where("key = ?", SettingSelfPings).Find(&rows).Error; err != nil {
		return false, err
	}
	if len(rows) == 0 {
		return DefaultSite().SelfPings, nil
	}
	on, err := strconv.ParseBool(rows[0].Value)
	return on && err == nil, nil
}

// PostNotifications lists the notifications of a post in the order queued.
func (s *Store) PostNotifications(ctx context.Context, postID int64) ([]Notification, error) {
	var out []Notification
	err := s.db.WithContext(ctx).Where("post_id = ?", postID).Order("id").Find(&out).Error
	return out, translate(err, fmt.Sprintf("notifications of post %d", postID))
}

// RetryNotification queues a failed, given up or endpoint-less notification
// to be sent now, with a fresh day of retries; a link is discovered again.
// retried is false, with the notification, when it was in no such state.
func (s *Store) RetryNotification(ctx context.Context, id int64) (n *Notification, retried bool, err error) {
	now := s.now()
	db := s.db.WithContext(ctx)
	res := db.Model(&Notification{}).Where("id = ? AND state IN ?", id, []NotificationState{NotifyFailed, NotifyGaveUp, NotifyNoEndpoint}).
		Updates(map[string]any{
			"state": NotifyQueued, "attempts": 0, "next_attempt_at": now, "last_message": "", "locked_until": nil,
			"protocol":   gorm.Expr("CASE WHEN direct THEN protocol ELSE '' END"),
			"endpoint":   gorm.Expr("CASE WHEN direct THEN endpoint ELSE '' END"),
			"updated_at": now,
		})
	if res.Error != nil {
		return nil, false, translate(res.Error, "retry notification")
	}
	n = &Notification{}
	if err := db.First(n, id).Error; err != nil {
		return nil, false, translate(err, fmt.Sprintf("notification %d", id))
	}
	return n, res.RowsAffected == 1, nil
}
