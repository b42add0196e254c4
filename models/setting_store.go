package models

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (setting) TableName() string { return "settings" }

// Settings returns every stored setting.
func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	var rows []setting
	if err := s.db.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, translate(err, "settings")
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

// SetSettings stores values in one transaction, replacing existing keys.
func (s *Store) SetSettings(ctx context.Context, values map[string]string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for k, v := range values {
			err := tx.Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"}),
			}).Create(&setting{Key: k, Value: v}).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
	return translate(err, "set settings")
}

// EnsureSetting stores value under key unless the key exists, and returns the
// stored value: how secrets generated on first run survive restarts.
func (s *Store) EnsureSetting(ctx context.Context, key, value string) (string, error) {
	db := s.db.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&setting{Key: key, Value: value}).Error; err != nil {
		return "", translate(err, "ensure setting")
	}
	var row setting
	err := db.Where("key = ?", key).First(&row).Error
	return row.Value, translate(err, "ensure setting")
}
