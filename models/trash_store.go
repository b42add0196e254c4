package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// TrashPost moves a post to the trash, remembering its status so a restore
// brings it back as it was. Readers lose it at once: every public query
// asks for published posts. A post already in the trash is ErrConflict.
func (s *Store) TrashPost(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Model(&Post{}).Where("id = ? AND status <> ?", id, StatusTrash).
		Updates(map[string]any{"status_before_trash": gorm.Expr("status"), "status": StatusTrash,
			"trashed_at": s.now(), "updated_at": s.now()})
	return s.changedOne(ctx, res, id, "trash post")
}

// RestorePost takes a post out of the trash with the status it had. One
// not in the trash is ErrConflict.
func (s *Store) RestorePost(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Model(&Post{}).Where("id = ? AND status = ?", id, StatusTrash).
		Updates(map[string]any{
			"status":              gorm.Expr("CASE WHEN status_before_trash = '' THEN ? ELSE status_before_trash END", StatusDraft),
			"status_before_trash": "", "trashed_at": nil, "updated_at": s.now()})
	return s.changedOne(ctx, res, id, "restore post")
}

// TrashedBefore lists (up to limit) the ids of posts trashed before cutoff,
// oldest first: what emptying the trash deletes.
func (s *Store) TrashedBefore(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Model(&Post{}).Where("status = ? AND trashed_at < ?", StatusTrash, cutoff.UTC()).
		Order("trashed_at, id").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err, "trashed posts")
}

// changedOne reports an update meant for one row: ErrNotFound when the row
// does not exist, ErrConflict when it exists but was not in the state asked.
func (s *Store) changedOne(ctx context.Context, res *gorm.DB, id int64, what string) error {
	if res.Error != nil || res.RowsAffected > 0 {
		return translate(res.Error, what)
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&Post{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return translate(err, what)
	}
	if n == 0 {
		return translate(ErrNotFound, what)
	}
	return translate(ErrConflict, what)
}
