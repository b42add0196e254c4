package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// AddFeedback stores f. A linkback already stored from the same source to the
// same post is not stored again and reports created false.
func (s *Store) AddFeedback(ctx context.Context, f *Feedback) (bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(f)
	if res.Error != nil {
		return false, translate(res.Error, "add feedback")
	}
	return res.RowsAffected > 0, nil
}

// ApprovedFeedback lists a post's approved feedback of every kind, oldest first.
func (s *Store) ApprovedFeedback(ctx context.Context, postID int64) ([]Feedback, error) {
	var out []Feedback
	err := s.db.WithContext(ctx).Where("post_id = ? AND status = ?", postID, ModApproved).
		Order("id").Find(&out).Error
	return out, translate(err, "approved feedback")
}

// Queue lists one page of the moderation queue, newest first (keyset paging
// on id, so deep pages cost the same as the first).
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	q := s.db.WithContext(ctx).Table("feedback").
		Select("feedback.*, posts.title AS post_title").
		Joins("JOIN posts ON posts.id = feedback.post_id").
		Where("feedback.status = ?", f.Status)
	if f.Kind != "" {
		q = q.Where("feedback.kind = ?", f.Kind)
	}
	if f.PostID != 0 {
		q = q.Where("feedback.post_id = ?", f.PostID)
	}
	if f.BeforeID > 0 {
		q = q.Where("feedback.id < ?", f.BeforeID)
	}
	var items []QueueItem
	err := q.Order("feedback.id DESC").Limit(limit(f.Limit)).Scan(&items).Error
	return items, translate(err, "queue")
}

// QueueCounts counts queue items by status, optionally for one kind or post.
func (s *Store) QueueCounts(ctx context.Context, kind FeedbackKind, postID int64) (map[ModerationStatus]int, error) {
	q := s.db.WithContext(ctx).Model(&Feedback{}).Select("status, COUNT(*) AS n")
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	if postID != 0 {
		q = q.Where("post_id = ?", postID)
	}
	var rows []struct {
		Status ModerationStatus
		N      int
	}
	err := q.Group("status").Scan(&rows).Error
	out := make(map[ModerationStatus]int, len(ModerationStatuses))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, translate(err, "queue counts")
}

// SetFeedbackStatus moves items to status.
func (s *Store) SetFeedbackStatus(ctx context.Context, status ModerationStatus, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Model(&Feedback{}).Where("id IN ?", ids).
		Updates(map[string]any{"status": status, "updated_at": s.now()}).Error
	return translate(err, "set feedback status")
}

// DeleteFeedback removes items for good.
func (s *Store) DeleteFeedback(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return translate(s.db.WithContext(ctx).Where("id IN ?", ids).Delete(&Feedback{}).Error, "delete feedback")
}

// PurgeFeedback deletes spam and trash last changed before cutoff and
// returns how many went.
func (s *Store) PurgeFeedback(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("status IN ? AND updated_at < ?", []ModerationStatus{ModSpam, ModTrash}, cutoff.UTC()).
		Delete(&Feedback{})
	return res.RowsAffected, translate(res.Error, "purge feedback")
}
