package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// TrashPost moves a post to the trash, remembering its status so a restore
// brings it back as it was, and frees its slug for other posts as
// WordPress does (TrashedSlug). Readers lose it at once: every public
// query asks for published posts. A post already in the trash is
// ErrConflict.
func (s *Store) TrashPost(ctx context.Context, id int64) error {
	return s.moveTrash(ctx, id, "trash post", func(tx *gorm.DB, p *Post) (map[string]any, error) {
		if p.Status == StatusTrash {
			return nil, ErrConflict
		}
		slug, err := firstFreeSlug(tx, id, func(n int) string { return TrashedSlug(p.Slug, n) })
		return map[string]any{"status_before_trash": p.Status, "status": StatusTrash, "slug": slug,
			"trashed_at": s.now(), "updated_at": s.now()}, err
	})
}

// RestorePost takes a post out of the trash with the status it had and
// its old slug, or, if another post took that meanwhile, the first free
// numbered one (slug-2, slug-3…). One not in the trash is ErrConflict.
func (s *Store) RestorePost(ctx context.Context, id int64) error {
	return s.moveTrash(ctx, id, "restore post", func(tx *gorm.DB, p *Post) (map[string]any, error) {
		if p.Status != StatusTrash {
			return nil, ErrConflict
		}
		wanted := SlugBeforeTrash(p.Slug)
		slug, err := firstFreeSlug(tx, id, func(n int) string { return numberedSlug(wanted, n) })
		status := p.StatusBeforeTrash
		if status == "" {
			status = StatusDraft
		}
		return map[string]any{"status": status, "slug": slug, "status_before_trash": "", "trashed_at": nil,
			"updated_at": s.now()}, err
	})
}

// moveTrash reads the post with id and applies the changes change makes
// of it, in one transaction; the update is made only while the post's
// status and slug are still those read, so two instances cannot both move it.
func (s *Store) moveTrash(ctx context.Context, id int64, what string, change func(*gorm.DB, *Post) (map[string]any, error)) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Post
		if err := tx.Select("id", "slug", "status", "status_before_trash").First(&p, id).Error; err != nil {
			return err
		}
		upd, err := change(tx, &p)
		if err != nil {
			return err
		}
		res := tx.Model(&Post{}).Where("id = ? AND status = ? AND slug = ?", id, p.Status, p.Slug).Updates(upd)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrConflict
		}
		return res.Error
	})
	return slugConflict(translate(err, what))
}

// TrashedBefore lists (up to limit) the ids of posts trashed before cutoff,
// oldest first: what emptying the trash deletes.
func (s *Store) TrashedBefore(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Model(&Post{}).Where("status = ? AND trashed_at < ?", StatusTrash, cutoff.UTC()).
		Order("trashed_at, id").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err, "trashed posts")
}
