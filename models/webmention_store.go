package models

import (
	"context"

	"gorm.io/gorm"

	"github.com/crosstalk/crosstalk/trackback/text"
	"gorm.io/gorm/clause"
)

// SaveWebmention stores a received Webmention, or, when the same source
// already mentioned the same post, updates that one: it is unverified again
// (so the source is checked anew) and keeps its moderation status. created
// reports whether a new row was added; f.ID is set either way.
func (s *Store) SaveWebmention(ctx context.Context, f *Feedback) (created bool, err error) {
	f.Kind, f.Verification = FeedbackWebmention, VerificationPending
	f.Normalize()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for range 2 { // a concurrent insert of the same mention makes the second pass update it
			var existing Feedback
			res := tx.Where("post_id = ? AND kind = ? AND source_url = ?", f.PostID, f.Kind, f.SourceURL).
				Limit(1).Find(&existing)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected > 0 {
				f.ID, f.Status, created = existing.ID, existing.Status, false
				return tx.Model(&Feedback{}).Where("id = ?", existing.ID).Updates(map[string]any{
					"verification": VerificationPending, "verify_attempts": 0, "verify_after": nil,
					"ip": f.IP, "user_agent": f.UserAgent, "target_url": f.TargetURL, "updated_at": s.now(),
				}).Error
			}
			res = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(f)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected > 0 {
				created = true
				return nil
			}
		}
		return nil
	})
	return created, translate(err, "save webmention")
}

// RecordSource stores what a verified linkback's source page says: its title
// and the text around the link. Empty values leave the stored ones.
func (s *Store) RecordSource(ctx context.Context, id int64, title, excerpt string) error {
	title, excerpt = text.CleanLine(title), text.Clean(excerpt)
	updates := map[string]any{}
	if title != "" {
		updates["title"] = title
	}
	if excerpt != "" {
		updates["content"] = excerpt
	}
	if len(updates) == 0 {
		return nil
	}
	updates["updated_at"] = s.now()
	return translate(s.db.WithContext(ctx).Model(&Feedback{}).Where("id = ?", id).Updates(updates).Error, "record source")
}
