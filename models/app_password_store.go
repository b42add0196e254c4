package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// CreateAppPassword stores a new application password.
func (s *Store) CreateAppPassword(ctx context.Context, p *AppPassword) error {
	return translate(s.db.WithContext(ctx).Create(p).Error, "create app password")
}

// AppPasswords lists a user's application passwords, newest first.
func (s *Store) AppPasswords(ctx context.Context, userID int64) ([]AppPassword, error) {
	var out []AppPassword
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&out).Error
	return out, translate(err, "app passwords")
}

// DeleteAppPassword revokes one of a user's application passwords.
func (s *Store) DeleteAppPassword(ctx context.Context, userID, id int64) error {
	res := s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&AppPassword{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(gorm.ErrRecordNotFound, "delete app password")
	}
	return translate(res.Error, "delete app password")
}

// UseAppPassword finds the user's application password matching token and
// records its use (at most once a minute, to spare the database a write per
// call). A token that matches nothing is ErrNotFound.
func (s *Store) UseAppPassword(ctx context.Context, userID int64, token string) (*AppPassword, error) {
	norm, ok := normalizeAppToken(token)
	if !ok {
		return nil, translate(gorm.ErrRecordNotFound, "app password")
	}
	var p AppPassword
	db := s.db.WithContext(ctx)
	if err := db.Where("user_id = ? AND hash = ?", userID, hashAppToken(norm)).First(&p).Error; err != nil {
		return nil, translate(err, "app password")
	}
	now := s.now()
	if p.LastUsedAt == nil || now.Sub(*p.LastUsedAt) > time.Minute {
		if err := db.Model(&AppPassword{}).Where("id = ?", p.ID).Update("last_used_at", now).Error; err != nil {
			return nil, translate(err, "touch app password")
		}
		p.LastUsedAt = &now
	}
	return &p, nil
}
