package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// AddMedia stores an upload. The same bytes under the same name already
// stored are not stored again: m gets the existing row's id and date, and
// created is false (editors re-send images when a post is edited).
func (s *Store) AddMedia(ctx context.Context, m *Media) (created bool, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Media
		err := tx.Omit("data").Where("sha256 = ? AND name = ?", m.SHA256, m.Name).First(&old).Error
		if err == nil {
			m.ID, m.CreatedAt = old.ID, old.CreatedAt
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		created = true
		return tx.Create(m).Error
	})
	return created, translate(err, "add media")
}

// MediaByID finds a file with its bytes.
func (s *Store) MediaByID(ctx context.Context, id int64) (*Media, error) {
	var m Media
	err := s.db.WithContext(ctx).First(&m, id).Error
	if err != nil {
		return nil, translate(err, "media by id")
	}
	return &m, nil
}

// MediaList lists files without their bytes, newest first.
func (s *Store) MediaList(ctx context.Context, offset, n int) ([]Media, error) {
	var out []Media
	err := s.db.WithContext(ctx).Omit("data").Order("id DESC").Offset(offset).Limit(limit(n)).Find(&out).Error
	return out, translate(err, "media list")
}

// DeleteMedia removes a file.
func (s *Store) DeleteMedia(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Delete(&Media{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(gorm.ErrRecordNotFound, "delete media")
	}
	return translate(res.Error, "delete media")
}
