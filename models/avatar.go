package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"
)

// MaxAvatarBytes bounds a stored avatar.
const MaxAvatarBytes = 256 << 10

// ErrNotAnImage means fetched bytes are no PNG, JPEG, GIF or WebP image
// (or are empty or too large) and are not stored as an avatar.
var ErrNotAnImage = errors.New("not a PNG, JPEG, GIF or WebP image of at most 256 KiB")

// Avatar is the picture of a linkback's author, fetched once by the
// verifier and kept in the database (as uploads are), so pages never load
// images from other sites. It goes with its linkback (ON DELETE CASCADE).
type Avatar struct {
	FeedbackID int64 `gorm:"primaryKey;autoIncrement:false"`
	Mime       string
	Size       int64
	SHA256     string `gorm:"column:sha256"`
	Data       []byte
	CreatedAt  time.Time
}

// TableName keeps the table name as the migration creates it.
func (Avatar) TableName() string { return "avatars" }

// NewAvatar checks fetched bytes as uploads are checked: the type is found
// from the bytes (PNG, JPEG, GIF or WebP only) and the size is at most
// MaxAvatarBytes. It returns ErrNotAnImage otherwise.
func NewAvatar(data []byte) (*Avatar, error) {
	mime := http.DetectContentType(data)
	if _, ok := mediaTypes[mime]; !ok || len(data) == 0 || len(data) > MaxAvatarBytes {
		return nil, ErrNotAnImage
	}
	sum := sha256.Sum256(data)
	return &Avatar{Mime: mime, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}, nil
}

// Avatar finds the stored avatar of a linkback, with its bytes.
func (s *Store) Avatar(ctx context.Context, feedbackID int64) (*Avatar, error) {
	var a Avatar
	err := s.db.WithContext(ctx).Where("feedback_id = ?", feedbackID).First(&a).Error
	if err != nil {
		return nil, translate(err, "avatar")
	}
	return &a, nil
}

// ShownAvatar finds the avatar of a linkback the post page shows (see
// ApprovedFeedback): a pending, refused or withdrawn one's picture is not
// served. ErrNotFound otherwise.
func (s *Store) ShownAvatar(ctx context.Context, feedbackID int64) (*Avatar, error) {
	shown := s.db.WithContext(ctx).Model(&Feedback{}).Scopes(shownOnPost).Select("id").Where("id = ?", feedbackID)
	var a Avatar
	if err := s.db.WithContext(ctx).Where("feedback_id IN (?)", shown).First(&a).Error; err != nil {
		return nil, translate(err, "shown avatar")
	}
	return &a, nil
}
