package models

import (
	"context"
	"net/url"
	"time"

	"gorm.io/gorm"
)

// LinkbackToVerify is a received linkback waiting for its source to be
// checked, with the permalink path of its post.
type LinkbackToVerify struct {
	Feedback
	Post Post `gorm:"-"`
}

// LinkbacksToVerify lists unverified linkbacks, and re-sent Webmentions to
// check again, whose check is due, oldest first.
func (s *Store) LinkbacksToVerify(ctx context.Context, n int) ([]LinkbackToVerify, error) {
	db := s.db.WithContext(ctx)
	rows, err := s.claimVerifications(db, n)
	if err != nil {
		return nil, translate(err, "linkbacks to verify")
	}
	ids := make([]int64, 0, len(rows))
	for _, f := range rows {
		ids = append(ids, f.PostID)
	}
	var posts []Post
	if err := db.Select("id", "kind", "slug", "status", "published_at", "created_at").Where("id IN ?", ids).
		Find(&posts).Error; err != nil {
		return nil, translate(err, "linkback posts")
	}
	byID := make(map[int64]Post, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
	}
	out := make([]LinkbackToVerify, 0, len(rows))
	for _, f := range rows {
		out = append(out, LinkbackToVerify{Feedback: f, Post: byID[f.PostID]})
	}
	return out, nil
}

// verifyLease is how long a linkback listed for checking is held by the
// instance that listed it on PostgreSQL: longer than a batch of checks
// takes; after it (the instance died) another instance checks it.
const verifyLease = 5 * time.Minute

// claimVerifications reads up to n due linkbacks. On PostgreSQL, where
// several instances share the work, it claims them: rows are locked as read
// (FOR UPDATE SKIP LOCKED, passing over another instance's claim) and their
// next check is put off by verifyLease, so no other instance lists them
// while this one checks; finishing or retrying sets the real state. SQLite
// has one process: a plain read.
func (s *Store) claimVerifications(db *gorm.DB, n int) ([]Feedback, error) {
	now := s.now()
	due := func(q *gorm.DB) *gorm.DB {
		return q.Where("verification IN ? AND (verify_after IS NULL OR verify_after <= ?)",
			[]string{VerificationPending, VerificationRecheck}, now).Order("id").Limit(limit(n))
	}
	var rows []Feedback
	if s.db.Name() != "postgres" {
		return rows, due(db).Find(&rows).Error
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := due(s.skipLocked(tx)).Find(&rows).Error; err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]int64, len(rows))
		for i, f := range rows {
			ids[i] = f.ID
		}
		return tx.Model(&Feedback{}).Where("id IN ?", ids).UpdateColumn("verify_after", now.Add(verifyLease)).Error
	})
	return rows, err
}

// ReleaseVerification gives back the claim on a linkback whose check was cut
// short (the instance is shutting down): another instance, or this one
// after a restart, checks it at once instead of after the lease.
func (s *Store) ReleaseVerification(ctx context.Context, id int64) error {
	now := s.now()
	err := s.db.WithContext(ctx).Model(&Feedback{}).Where("id = ? AND verify_after > ?", id, now).
		UpdateColumn("verify_after", nil).Error
	return translate(err, "release verification")
}

// FinishVerification stores the result of checking a linkback's source.
func (s *Store) FinishVerification(ctx context.Context, id int64, state, note string, approve bool) error {
	now := s.now()
	// The claim's lease (claimVerifications) ends: a time still ahead is it.
	updates := map[string]any{"verification": state, "updated_at": now,
		"verify_after": gorm.Expr("CASE WHEN verify_after > ? THEN NULL ELSE verify_after END", now)}
	if note != "" {
		updates["verification"] = state + ": " + note
	}
	q := s.db.WithContext(ctx).Model(&Feedback{}).Where("id = ?", id)
	if err := q.Updates(updates).Error; err != nil {
		return translate(err, "finish verification")
	}
	if !approve {
		return nil
	}
	err := s.db.WithContext(ctx).Model(&Feedback{}).Where("id = ? AND status = ?", id, ModPending).
		Update("status", ModApproved).Error
	return translate(err, "approve verified linkback")
}

// RetryVerification counts a failed attempt and schedules the next one.
func (s *Store) RetryVerification(ctx context.Context, id int64, after time.Time) error {
	err := s.db.WithContext(ctx).Exec(
		"UPDATE feedback SET verify_attempts = verify_attempts + 1, verify_after = ?, updated_at = ? WHERE id = ?",
		after.UTC(), s.now(), id).Error
	return translate(err, "retry verification")
}

// ApprovedFromSite reports whether an approved, verified linkback came from
// the same site (scheme and host) before.
func (s *Store) ApprovedFromSite(ctx context.Context, sourceURL string) (bool, error) {
	u, err := url.Parse(sourceURL)
	if err != nil || u.Host == "" {
		return false, nil
	}
	prefix := u.Scheme + "://" + u.Host + "/"
	var n int64
	err = s.db.WithContext(ctx).Model(&Feedback{}).
		Where("kind <> ? AND status = ? AND verification = ? AND (source_url = ? OR substr(source_url, 1, ?) = ?)",
			FeedbackComment, ModApproved, VerificationVerified, u.Scheme+"://"+u.Host, len(prefix), prefix).
		Limit(1).Count(&n).Error
	return n > 0, translate(err, "approved from site")
}
