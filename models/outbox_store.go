package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// interruptedMessage explains a ping that a crash cut short.
const interruptedMessage = "The server stopped while this was being sent: it is sent again."

// DefaultPerHost is how many notifications to one host are in flight at
// once, across every process sharing the database.
const DefaultPerHost = 2

// ClaimNotifications leases up to limit due notifications to the caller:
// queued ones whose time has come, and ones whose worker's lease ran out (a
// crashed or stopped process). Each is taken with a conditional UPDATE
// guarded by its id and its due state, so two processes sharing the database
// never take the same one; LeaseSeq grows by one. At most perHost
// notifications to one host (the endpoint's, else the linked page's) are
// in flight at once (0 means DefaultPerHost), which is polite to small sites
// and keeps what a crash may send twice to a few.
//
// Delivery is at least once: a notification whose lease ran out while it
// was being sent is queued again, since it may not have arrived; that
// attempt counts against its retry budget.
func (s *Store) ClaimNotifications(ctx context.Context, limit int, lease time.Duration, perHost int) ([]Notification, error) {
	if limit <= 0 {
		return nil, nil
	}
	if perHost <= 0 {
		perHost = DefaultPerHost
	}
	now := s.now()
	due := "(state = ? AND next_attempt_at <= ?) OR (state = ? AND locked_until < ?)"
	dueArgs := []any{NotifyQueued, now, NotifyWorking, now}
	var claimed []Notification
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.recoverInterrupted(tx, now); err != nil {
			return err
		}
		inFlight, err := hostsInFlight(tx, now)
		if err != nil {
			return err
		}
		// Look past the hosts already at their cap, within reason.
		// On PostgreSQL the candidates are locked and rows another instance
		// is claiming right now are skipped, so instances do not queue on
		// each other; SQLite's one writer serialises claims already.
		var candidates []Notification
		if err := s.skipLocked(tx).Select("id, target_url, endpoint").Where(due, dueArgs...).Order("next_attempt_at, id").
			Limit(limit*8 + 64).Find(&candidates).Error; err != nil {
			return err
		}
		cands := make([]leaseCandidate, len(candidates))
		for i := range candidates {
			cands[i] = leaseCandidate{id: candidates[i].ID, host: candidates[i].host()}
		}
		got, err := claimPerHost(tx, leaseClaim{model: &Notification{}, working: NotifyWorking, due: due, dueArgs: dueArgs},
			cands, limit, perHost, inFlight, lease, now)
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return nil
		}
		return tx.Where("id IN ?", got).Order("next_attempt_at, id").Find(&claimed).Error
	})
	return claimed, translate(err, "claim notifications")
}

// skipLocked makes a SELECT in tx lock the rows it reads and pass over
// rows locked by another transaction (PostgreSQL's FOR UPDATE SKIP LOCKED),
// so concurrent claimers share the work instead of waiting on each other.
// SQLite has no row locks and needs none: its transactions take the one
// write lock at BEGIN (_txlock=immediate).
func (s *Store) skipLocked(tx *gorm.DB) *gorm.DB {
	if s.db.Name() != "postgres" {
		return tx
	}
	return tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate, Options: clause.LockingOptionsSkipLocked})
}

// recoverInterrupted queues again the notifications whose lease ran out
// mid-send: the attempt ran, so it counts.
func (s *Store) recoverInterrupted(tx *gorm.DB, now time.Time) error {
	return tx.Model(&Notification{}).Where("state = ? AND locked_until < ?", NotifySending, now).Updates(map[string]any{
		"state": NotifyQueued, "next_attempt_at": now, "attempts": gorm.Expr("attempts + 1"),
		"last_message": interruptedMessage, "locked_until": nil, "updated_at": now,
	}).Error
}

// hostsInFlight counts the notifications held by live leases, per host.
func hostsInFlight(tx *gorm.DB, now time.Time) (map[string]int, error) {
	var held []Notification
	if err := tx.Select("id, target_url, endpoint").Where("state IN ? AND locked_until >= ?",
		[]NotificationState{NotifyWorking, NotifySending}, now).Find(&held).Error; err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, n := range held {
		counts[n.host()]++
	}
	return counts, nil
}

// host is where n's traffic goes: the endpoint's host once discovered,
// else the linked page's (host and port, lower case).
func (n *Notification) host() string {
	if n.Endpoint != "" {
		return urlHost(n.Endpoint)
	}
	return urlHost(n.TargetURL)
}

// StartSending records the endpoint of a notification the caller holds and
// that its ping is now on its way. ok is false when the lease was lost to
// another worker: the caller must not send.
func (s *Store) StartSending(ctx context.Context, n *Notification) (ok bool, err error) {
	// The post is checked again here, not only at claim time: the writer may
	// have unpublished it while the endpoint was being discovered.
	res := s.db.WithContext(ctx).Model(&Notification{}).
		Where("id = ? AND lease_seq = ? AND state = ?", n.ID, n.LeaseSeq, NotifyWorking).
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
	set, msg := outcomeUpdates(r, s.now())
	res := s.db.WithContext(ctx).Model(&Notification{}).
		Where("id = ? AND lease_seq = ? AND state IN ?", n.ID, n.LeaseSeq, []NotificationState{NotifyWorking, NotifySending}).
		Updates(set)
	if res.Error != nil {
		return false, translate(res.Error, "finish notification")
	}
	if res.RowsAffected == 1 {
		n.State, n.LastMessage = r.State, msg
		if r.Ran {
			n.Attempts++
		}
	}
	return res.RowsAffected == 1, nil
}

// outcomeUpdates are the column updates that record an attempt's outcome
// on an outbox row (a notification or a fediverse delivery) and release
// its lease; msg is the message as kept.
func outcomeUpdates(r NotificationResult, now time.Time) (set map[string]any, msg string) {
	msg = text.Shorten(r.Message, maxNotifyMessage, "...")
	set = map[string]any{"state": r.State, "last_message": msg, "locked_until": nil, "updated_at": now}
	if r.Ran {
		set["attempts"] = gorm.Expr("attempts + 1")
	}
	switch r.State {
	case NotifyQueued:
		set["next_attempt_at"] = now.Add(r.RetryIn)
	case NotifySent:
		set["sent_at"] = now
	}
	return set, msg
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
