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
// fences a worker whose lease ran out. At most perHost deliveries to one
// inbox host are in flight at once, across every process (0 means
// DefaultPerHost), as for notifications: a Create to many followers on
// one server waits its turn instead of hammering it.
func (s *Store) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration, perHost int) ([]APDelivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	if perHost <= 0 {
		perHost = DefaultPerHost
	}
	now := s.now()
	args := []any{NotifyQueued, now, NotifySending, now}
	var claimed []APDelivery
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inFlight, err := inboxesInFlight(tx, now)
		if err != nil {
			return err
		}
		// Look past the hosts at their cap, within reason (see ClaimNotifications).
		var candidates []APDelivery
		if err := s.skipLocked(tx).Select("id, inbox").Where(apDue, args...).Order("next_attempt_at, id").
			Limit(limit*8 + 64).Find(&candidates).Error; err != nil {
			return err
		}
		cands := make([]leaseCandidate, len(candidates))
		for i, c := range candidates {
			cands[i] = leaseCandidate{id: c.ID, host: urlHost(c.Inbox)}
		}
		got, err := claimPerHost(tx, leaseClaim{model: &APDelivery{}, working: NotifySending, due: apDue, dueArgs: args},
			cands, limit, perHost, inFlight, lease, now)
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return nil
		}
		return tx.Where("id IN ?", got).Order("next_attempt_at, id").Find(&claimed).Error
	})
	return claimed, translate(err, "claim deliveries")
}

// inboxesInFlight counts the deliveries held by live leases, per inbox host.
func inboxesInFlight(tx *gorm.DB, now time.Time) (map[string]int, error) {
	var inboxes []string
	if err := tx.Model(&APDelivery{}).Where("state = ? AND locked_until >= ?", NotifySending, now).
		Pluck("inbox", &inboxes).Error; err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, inbox := range inboxes {
		counts[urlHost(inbox)]++
	}
	return counts, nil
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
