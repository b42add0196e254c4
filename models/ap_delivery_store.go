package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// apDue selects deliveries a worker may take: queued and due, or held by a
// lease that ran out (a crashed process: at least once, like notifications).
const apDue = "(state = ? AND next_attempt_at <= ?) OR (state = ? AND locked_until < ?)"

// ClaimDeliveries leases up to limit due ActivityPub deliveries, each
// with a conditional UPDATE on its id and due state, so two processes
// sharing the database never take the same one; LeaseSeq grows by one and
// fences a worker whose lease ran out.
func (s *Store) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]APDelivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	now := s.now()
	args := []any{NotifyQueued, now, NotifySending, now}
	var claimed []APDelivery
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		if err := s.skipLocked(tx).Model(&APDelivery{}).Where(apDue, args...).Order("next_attempt_at, id").
			Limit(limit).Pluck("id", &ids).Error; err != nil {
			return err
		}
		var got []int64
		for _, id := range ids {
			res := tx.Model(&APDelivery{}).Where("id = ?", id).Where(apDue, args...).Updates(map[string]any{
				"state": NotifySending, "lease_seq": gorm.Expr("lease_seq + 1"), "locked_until": now.Add(lease), "updated_at": now,
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
	return claimed, translate(err, "claim deliveries")
}

// FinishDelivery records the outcome of a delivery the caller holds. ok is
// false when the lease was lost to another worker.
func (s *Store) FinishDelivery(ctx context.Context, d *APDelivery, r NotificationResult) (ok bool, err error) {
	set, msg := outcomeUpdates(r, s.now())
	res := s.db.WithContext(ctx).Model(&APDelivery{}).
		Where("id = ? AND lease_seq = ? AND state = ?", d.ID, d.LeaseSeq, NotifySending).Updates(set)
	if res.Error != nil {
		return false, translate(res.Error, "finish delivery")
	}
	if res.RowsAffected == 1 {
		d.State, d.LastMessage = r.State, msg
		if r.Ran {
			d.Attempts++
		}
	}
	return res.RowsAffected == 1, nil
}

// NextDeliveryDue is when a delivery next becomes due (a queued attempt
// or a lease running out); ok is false when none waits.
func (s *Store) NextDeliveryDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var rows []struct {
		NextAttemptAt time.Time
		LockedUntil   *time.Time
		State         NotificationState
	}
	err = s.db.WithContext(ctx).Model(&APDelivery{}).Select("next_attempt_at, locked_until, state").
		Where("state IN ?", []NotificationState{NotifyQueued, NotifySending}).
		Order("next_attempt_at").Limit(50).Find(&rows).Error
	if err != nil {
		return time.Time{}, false, translate(err, "next delivery due")
	}
	for _, r := range rows {
		t := r.NextAttemptAt
		if r.State == NotifySending && r.LockedUntil != nil {
			t = *r.LockedUntil
		}
		if !ok || t.Before(at) {
			at, ok = t, true
		}
	}
	return at, ok, nil
}

// DeliveriesForPost lists the fediverse deliveries of a post, newest
// first, at most limit: what the writer sees next to the TrackBacks.
func (s *Store) DeliveriesForPost(ctx context.Context, postID int64, limit int) ([]APDelivery, error) {
	var out []APDelivery
	err := s.db.WithContext(ctx).Select("id, post_id, local_actor, activity_type, inbox, state, attempts, last_message, sent_at, next_attempt_at, created_at, updated_at").
		Where("post_id = ?", postID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err, "deliveries of post")
}
