package models

import (
	"context"
	"crypto/rand"

	"gorm.io/gorm"

	"github.com/crosstalk/crosstalk/trackback/text"
	"gorm.io/gorm/clause"
)

// SaveWebmention stores a received Webmention, or, when the same source
// already mentioned the same post, asks for that one to be checked again.
// A new row gets an unguessable status token and starts unverified (or as
// f.Verification says when the caller verified it itself: our own posts).
// A re-sent one changes nothing the sender chose (target, status, title,
// text): the background verifier fetches the source again, and only what it
// finds there updates or withdraws the mention. Meanwhile a verified mention
// stays verified (VerificationRecheck), so re-sending cannot hide it. f is
// filled with the stored row either way; created reports a new row.
func (s *Store) SaveWebmention(ctx context.Context, f *Feedback) (created bool, err error) {
	f.Kind = FeedbackWebmention
	if f.Verification != VerificationVerified {
		f.Verification = VerificationPending
	}
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
				created = false
				return s.resendWebmention(tx, &existing, f)
			}
			f.StatusToken = rand.Text()
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

// resendWebmention queues a stored mention's source for another check and
// copies the stored row into f.
func (s *Store) resendWebmention(tx *gorm.DB, existing, f *Feedback) error {
	updates := map[string]any{}
	if existing.StatusToken == "" { // stored before status pages existed
		existing.StatusToken = rand.Text()
		updates["status_token"] = existing.StatusToken
	}
	if f.Verification != VerificationVerified { // a self-ping needs no fetch
		switch existing.Verification {
		case VerificationVerified, VerificationRecheck:
			existing.Verification = VerificationRecheck
		default:
			existing.Verification = VerificationPending
		}
		existing.VerifyAttempts, existing.VerifyAfter = 0, nil
		updates["verification"], updates["verify_attempts"], updates["verify_after"] = existing.Verification, 0, nil
	}
	*f = *existing
	if len(updates) == 0 {
		return nil
	}
	updates["updated_at"] = s.now()
	return tx.Model(&Feedback{}).Where("id = ?", existing.ID).Updates(updates).Error
}

// WebmentionByToken finds the Webmention whose status page token is token;
// ErrNotFound when there is none.
func (s *Store) WebmentionByToken(ctx context.Context, token string) (*Feedback, error) {
	var rows []Feedback
	if token != "" {
		err := s.db.WithContext(ctx).Where("status_token = ? AND kind = ?", token, FeedbackWebmention).
			Limit(1).Find(&rows).Error
		if err != nil {
			return nil, translate(err, "webmention by token")
		}
	}
	if len(rows) == 0 {
		return nil, translate(gorm.ErrRecordNotFound, "webmention by token")
	}
	return &rows[0], nil
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
