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
		if err := tx.Create(m).Error; err != nil {
			return err
		}
		for i := range m.Variants {
			m.Variants[i].MediaID = m.ID
			if err := tx.Create(&m.Variants[i]).Error; err != nil {
				return err
			}
		}
		return nil
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

// MediaVariant is the copy of file id that is width pixels wide.
func (s *Store) MediaVariant(ctx context.Context, id int64, width int) (*MediaVariant, error) {
	var v MediaVariant
	err := s.db.WithContext(ctx).Where("media_id = ? AND width = ?", id, width).First(&v).Error
	if err != nil {
		return nil, translate(err, "media variant")
	}
	return &v, nil
}

// MediaSize is file id's size and the widths of its variants.
func (s *Store) MediaSize(ctx context.Context, id int64) (MediaSize, error) {
	var m Media
	db := s.db.WithContext(ctx)
	if err := db.Select("id", "width", "height").First(&m, id).Error; err != nil {
		return MediaSize{}, translate(err, "media size")
	}
	out := MediaSize{Width: m.Width, Height: m.Height}
	err := db.Model(&MediaVariant{}).Where("media_id = ?", id).Order("width").Pluck("width", &out.Variants).Error
	return out, translate(err, "media size")
}
