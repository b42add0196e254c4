package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"gorm.io/gorm/clause"
)

// PostPreview is a post's shareable preview link, kept as its token's hash.
type PostPreview struct {
	PostID    int64 `gorm:"primaryKey"`
	TokenHash string
	CreatedAt time.Time
}

// SharePreview makes a new shareable preview token for a post, replacing
// the one it had, and returns it.
func (s *Store) SharePreview(ctx context.Context, postID int64) (string, error) {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	token := hex.EncodeToString(b)
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "post_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"token_hash", "created_at"})}).
		Create(&PostPreview{PostID: postID, TokenHash: ResetTokenHash(token), CreatedAt: s.now()}).Error
	return token, translate(err, "share preview")
}

// PostByPreviewToken finds the post a preview token shows, with its tags.
func (s *Store) PostByPreviewToken(ctx context.Context, token string) (*Post, error) {
	var pv PostPreview
	if err := s.db.WithContext(ctx).Where("token_hash = ?", ResetTokenHash(token)).First(&pv).Error; err != nil {
		return nil, translate(err, "preview")
	}
	return s.PostByID(ctx, pv.PostID)
}
