package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Users lists every account by name (the Users screen and the export).
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var users []User
	err := s.db.WithContext(ctx).Order("lower(name), id").Find(&users).Error
	return users, translate(err, "users")
}

// UpdateProfile saves a user's email, display name, bio and role. Taking
// the administrator role from the last administrator is ErrConflict.
func (s *Store) UpdateProfile(ctx context.Context, u *User) error {
	if !u.Role.Valid() {
		return &ValidationError{Fields: map[string]string{"role": "Unknown role."}}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if u.Role != RoleAdministrator {
			if err := lastAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		res := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"email": strings.TrimSpace(u.Email),
			"display_name": strings.TrimSpace(u.DisplayName), "bio": strings.TrimSpace(u.Bio), "role": u.Role, "updated_at": s.now()})
		if res.Error == nil && res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		return res.Error
	})
	return translate(err, "update user")
}

// DeleteUser deletes an account after giving its posts and revisions to
// another user, as WordPress's "Attribute all content to". Deleting the
// last administrator, or giving the posts to the user deleted, is ErrConflict.
func (s *Store) DeleteUser(ctx context.Context, id, reassignTo int64) error {
	if id == reassignTo {
		return translate(ErrConflict, "delete user")
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lastAdmin(tx, id); err != nil {
			return err
		}
		var heir User
		if err := tx.First(&heir, reassignTo).Error; err != nil {
			return err
		}
		if err := tx.Model(&Post{}).Where("author_id = ?", id).Update("author_id", reassignTo).Error; err != nil {
			return err
		}
		if err := tx.Model(&Revision{}).Where("author_id = ?", id).Update("author_id", reassignTo).Error; err != nil {
			return err
		}
		res := tx.Delete(&User{}, id)
		if res.Error == nil && res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		return res.Error
	})
	return translate(err, "delete user")
}

// lastAdmin refuses a change that would leave the blog without an
// administrator: id is the one losing the role.
func lastAdmin(tx *gorm.DB, id int64) error {
	var n int64
	if err := tx.Model(&User{}).Where("role = ? AND id <> ?", RoleAdministrator, id).Count(&n).Error; err != nil {
		return err
	}
	var was int64
	if err := tx.Model(&User{}).Where("role = ? AND id = ?", RoleAdministrator, id).Count(&was).Error; err != nil {
		return err
	}
	if was > 0 && n == 0 {
		return ErrConflict
	}
	return nil
}

// PasswordReset is a one-time password reset link, kept as the SHA-256
// of its token.
type PasswordReset struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    int64
	ExpiresAt time.Time
	CreatedAt time.Time
}

// AddPasswordReset stores a reset token's hash for the user until expires.
func (s *Store) AddPasswordReset(ctx context.Context, userID int64, tokenHash string, expires time.Time) error {
	err := s.db.WithContext(ctx).Create(&PasswordReset{TokenHash: tokenHash, UserID: userID,
		ExpiresAt: expires.UTC(), CreatedAt: s.now()}).Error
	return translate(err, "add password reset")
}

// PasswordResetUser finds the user of a live reset token without using it
// (the form that asks for the new password). Unknown or expired is ErrNotFound.
func (s *Store) PasswordResetUser(ctx context.Context, tokenHash string) (*User, error) {
	var r PasswordReset
	db := s.db.WithContext(ctx)
	if err := db.Where("token_hash = ? AND expires_at > ?", tokenHash, s.now()).First(&r).Error; err != nil {
		return nil, translate(err, "password reset")
	}
	return s.UserByID(ctx, r.UserID)
}

// ResetPassword uses a reset token once: in one transaction it checks the
// token is live, deletes it with every other token of the user, sets the
// new password hash and ends the user's sessions. A token used, unknown or
// expired is ErrNotFound.
func (s *Store) ResetPassword(ctx context.Context, tokenHash, passwordHash string) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r PasswordReset
		if err := tx.Where("token_hash = ? AND expires_at > ?", tokenHash, s.now()).First(&r).Error; err != nil {
			return err
		}
		// Deleting the row is the use: of two concurrent uses only one deletes it.
		res := tx.Where("token_hash = ?", tokenHash).Delete(&PasswordReset{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		if err := tx.Where("user_id = ?", r.UserID).Delete(&PasswordReset{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", r.UserID).Updates(map[string]any{"password_hash": passwordHash,
			"updated_at": s.now(), "session_generation": gorm.Expr("session_generation + 1")}).Error; err != nil {
			return err
		}
		return tx.First(&u, r.UserID).Error
	})
	if err != nil {
		return nil, translate(err, "reset password")
	}
	return &u, nil
}

// ResetLinkTTL is how long a password reset link works: an hour, since a
// link sent by email may sit in a mailbox others can read.
const ResetLinkTTL = time.Hour

// IssuePasswordReset makes a one-time reset token for the user, keeps its
// hash for ResetLinkTTL and returns the link that uses it.
func (s *Store) IssuePasswordReset(ctx context.Context, userID int64, baseURL string) (string, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	token := hex.EncodeToString(b)
	if err := s.AddPasswordReset(ctx, userID, ResetTokenHash(token), s.now().Add(ResetLinkTTL)); err != nil {
		return "", err
	}
	return strings.TrimRight(baseURL, "/") + "/login/reset?token=" + token, nil
}

// ResetTokenHash is what is stored of a reset token: random with full
// entropy, so a fast hash suffices and finds the row by its key.
func ResetTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
