package models

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// interruptedMessage explains a ping that a crash may have cut short.
const interruptedMessage = "The server stopped while this was being sent, so it may have arrived. " +
	"Use “Retry now” to send it again."

// ClaimNotifications leases up to limit due notifications to the caller:
// queued ones whose time has come, and ones whose worker's lease ran out
// while discovering (a crashed or stopped process). Each is taken with a
// conditional UPDATE guarded by its id and its due state, so two processes
// sharing the database never take the same one. Attempts grows by one.
//
// A notification whose lease ran out while it was being sent may have
// reached the remote site, so it is not sent again on its own (a TrackBack
// or a Pingback must arrive at most once): it becomes failed, and the writer
// may retry it. A Webmention is queued again, as sending one twice is
// harmless.
func (s *Store) ClaimNotifications(ctx context.Context, limit int, lease time.Duration) ([]Notification, error) {
	if limit <= 0 {
		return nil, nil
	}
	now := s.now()
	due := "(state = ? AND next_attempt_at <= ?) OR (state = ? AND locked_until < ?)"
	dueArgs := []any{NotifyQueued, now, NotifyWorking, now}
	var claimed []Notification
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.recoverInterrupted(tx, now); err != nil {
			return err
		}
		var ids []int64
		if err := tx.Model(&Notification{}).Where(due, dueArgs...).Order("next_attempt_at, id").
			Limit(limit).Pluck("id", &ids).Error; err != nil {
			return err
		}
		var got []int64
		for _, id := range ids {
			res := tx.Model(&Notification{}).Where("id = ?", id).Where(due, dueArgs...).Updates(map[string]any{
				"state": NotifyWorking, "attempts": gorm.Expr("attempts + 1"), "locked_until": now.Add(lease), "updated_at": now,
			})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				got = append(got, id)
			}
		}
		if len(got) == 0 {
			return nil
		}
		return tx.Where("id IN ?", got).Order("next_attempt_at, id").Find(&claimed).Error
	})
	return claimed, translate(err, "claim notifications")
}

// recoverInterrupted settles notifications whose lease ran out mid-send.
func (s *Store) recoverInterrupted(tx *gorm.DB, now time.Time) error {
	if err := tx.Model(&Notification{}).Where("state = ? AND locked_until < ? AND protocol = ?", NotifySending, now, "webmention").Updates(map[string]any{
		"state": NotifyQueued, "next_attempt_at": now, "locked_until": nil, "updated_at": now,
	}).Error; err != nil {
		return err
	}
	return tx.Model(&Notification{}).Where("state = ? AND locked_until < ?", NotifySending, now).Updates(map[string]any{
		"state": NotifyFailed, "last_message": interruptedMessage, "locked_until": nil, "updated_at": now,
	}).Error
}

// StartSending records the endpoint of a notification the caller holds and
// that its ping is now on its way. ok is false when the lease was lost to
// another worker: the caller must not send.
func (s *Store) StartSending(ctx context.Context, n *Notification) (ok bool, err error) {
	// The post is checked again here, not only at claim time: the writer may
	// have unpublished it while the endpoint was being discovered.
	res := s.db.WithContext(ctx).Model(&Notification{}).
		Where("id = ? AND attempts = ? AND state = ?", n.ID, n.Attempts, NotifyWorking).
		Where("EXISTS (SELECT 1 FROM posts WHERE posts.id = notifications.post_id AND posts.status = ? AND posts.kind = ?)",
			StatusPublished, KindPost).
		Updates(map[string]any{"state": NotifySending, "protocol": n.Protocol, "endpoint": n.Endpoint, "updated_at": s.now()})
	if res.Error != nil {
		// ErrConflict: another link of the post already pinged this TrackBack URL.
		return false, translate(res.Error, "start sending notification")
	}
	if res.RowsAffected == 1 {
		n.State = NotifySending
	}
	return res.RowsAffected == 1, nil
}

// FinishNotification records the outcome of a notification the caller holds
// and releases it. ok is false when the lease was lost to another worker.
func (s *Store) FinishNotification(ctx context.Context, n *Notification, r NotificationResult) (ok bool, err error) {
	now := s.now()
	msg := text.Shorten(r.Message, maxNotifyMessage, "...")
	set := map[string]any{"state": r.State, "last_message": msg, "locked_until": nil, "updated_at": now}
	switch r.State {
	case NotifyQueued:
		set["next_attempt_at"] = now.Add(r.RetryIn)
	case NotifySent:
		set["sent_at"] = now
	}
	res := s.db.WithContext(ctx).Model(&Notification{}).
		Where("id = ? AND attempts = ? AND state IN ?", n.ID, n.Attempts, []NotificationState{NotifyWorking, NotifySending}).
		Updates(set)
	if res.Error != nil {
		return false, translate(res.Error, "finish notification")
	}
	if res.RowsAffected == 1 {
		n.State, n.LastMessage = r.State, msg
	}
	return res.RowsAffected == 1, nil
}

// NextNotificationDue is when a notification next becomes due: the earliest
// queued attempt or lease to run out. ok is false when nothing waits.
func (s *Store) NextNotificationDue(ctx context.Context) (at time.Time, ok bool, err error) {
	db := s.db.WithContext(ctx)
	var next []Notification
	if err := db.Select("next_attempt_at").Where("state = ?", NotifyQueued).
		Order("next_attempt_at").Limit(1).Find(&next).Error; err != nil {
		return time.Time{}, false, translate(err, "next notification due")
	}
	if len(next) == 1 {
		at, ok = next[0].NextAttemptAt, true
	}
	var leased []Notification
	if err := db.Select("locked_until").Where("state IN ? AND locked_until IS NOT NULL", []NotificationState{NotifyWorking, NotifySending}).
		Order("locked_until").Limit(1).Find(&leased).Error; err != nil {
		return time.Time{}, false, translate(err, "next lease to run out")
	}
	if len(leased) == 1 && (!ok || leased[0].LockedUntil.Before(at)) {
		at, ok = *leased[0].LockedUntil, true
	}
	return at, ok, nil
}
