package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// EditorStashTTL is how long an editor form that failed to save is kept.
const EditorStashTTL = 24 * time.Hour

// EditorStash is an editor form that could not be saved, as JSON, kept so
// the page after the failed save can be a GET (see migration 0022).
type EditorStash struct {
	Token     string `gorm:"primaryKey"`
	UserID    int64
	Form      string
	CreatedAt time.Time
}

// TableName keeps the table name as the migration creates it.
func (EditorStash) TableName() string { return "editor_stashes" }

// EditorStashes keeps forms that failed to save.
type EditorStashes interface {
	StashEditorForm(ctx context.Context, userID int64, form string, now time.Time) (token string, err error)
	StashedEditorForm(ctx context.Context, userID int64, token string, now time.Time) (string, error)
}

// StashEditorForm keeps form for userID and returns its token; stashes
// older than EditorStashTTL are dropped on the way.
func (s *Store) StashEditorForm(ctx context.Context, userID int64, form string, now time.Time) (string, error) {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	st := EditorStash{Token: hex.EncodeToString(b), UserID: userID, Form: form, CreatedAt: now.UTC()}
	db := s.db.WithContext(ctx)
	if err := db.Where("created_at < ?", now.Add(-EditorStashTTL).UTC()).Delete(&EditorStash{}).Error; err != nil {
		return "", translate(err, "expire editor stashes")
	}
	return st.Token, translate(db.Create(&st).Error, "stash editor form")
}

// StashedEditorForm is the form userID stashed under token, or ErrNotFound
// (someone else's, expired, or never stashed).
func (s *Store) StashedEditorForm(ctx context.Context, userID int64, token string, now time.Time) (string, error) {
	var st EditorStash
	err := s.db.WithContext(ctx).Where("token = ? AND user_id = ? AND created_at >= ?", token, userID,
		now.Add(-EditorStashTTL).UTC()).First(&st).Error
	if err != nil {
		return "", translate(err, "stashed editor form")
	}
	return st.Form, nil
}
