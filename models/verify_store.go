package models

import (
	"context"
	"net/url"
	"time"
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
	var rows []Feedback
	err := db.Where("verification IN ? AND (verify_after IS NULL OR verify_after <= ?)",
		[]string{VerificationPending, VerificationRecheck}, s.now()).
		Order("id").Limit(limit(n)).Find(&rows).Error
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

// FinishVerification stores the result of checking a linkback's source.
func (s *Store) FinishVerification(ctx context.Context, id int64, state, note string, approve bool) error {
	updates := map[string]any{"verification": state, "updated_at": s.now()}
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
