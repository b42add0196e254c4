package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SaveCategory creates the category, or updates it when it has an id. An
// empty slug is made from the name; a slug taken by another category is
// ErrConflict.
func (s *Store) SaveCategory(ctx context.Context, c *Category) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		var ve ValidationError
		ve.Add("name", "A category needs a name.")
		return ve.OrNil()
	}
	if c.Slug == "" {
		c.Slug = Slugify(c.Name)
	}
	db := s.db.WithContext(ctx)
	if c.ID == 0 {
		return translate(db.Create(c).Error, "create category")
	}
	return translate(db.Save(c).Error, "save category")
}

// CategoryBySlug finds a category by its slug.
func (s *Store) CategoryBySlug(ctx context.Context, slug string) (*Category, error) {
	var c Category
	err := s.db.WithContext(ctx).Where("slug = ?", slug).First(&c).Error
	return &c, translate(err, "category by slug")
}

// Categories lists every category by name.
func (s *Store) Categories(ctx context.Context) ([]Category, error) {
	var cs []Category
	err := s.db.WithContext(ctx).Order("lower(name), id").Limit(5000).Find(&cs).Error
	return cs, translate(err, "categories")
}

// SetPostCategories replaces the categories a post is filed under.
func (s *Store) SetPostCategories(ctx context.Context, postID int64, categoryIDs []int64) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("post_id = ?", postID).Delete(&PostCategory{}).Error; err != nil {
			return err
		}
		for _, id := range categoryIDs {
			pc := PostCategory{PostID: postID, CategoryID: id}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&pc).Error; err != nil {
				return err
			}
		}
		return nil
	}), "set post categories")
}

// LoadCategories fills the Categories of posts with one query.
func (s *Store) LoadCategories(ctx context.Context, posts []*Post) error {
	if len(posts) == 0 {
		return nil
	}
	ids := make([]int64, len(posts))
	byID := make(map[int64]*Post, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
		byID[p.ID] = p
		p.Categories = nil
	}
	var rows []struct {
		PostID int64
		Category
	}
	err := s.db.WithContext(ctx).Table("post_categories").
		Select("post_categories.post_id, categories.id, categories.name, categories.slug, categories.parent_id, categories.description").
		Joins("JOIN categories ON categories.id = post_categories.category_id").
		Where("post_categories.post_id IN ?", ids).Order("categories.name").Scan(&rows).Error
	for _, r := range rows {
		byID[r.PostID].Categories = append(byID[r.PostID].Categories, r.Category)
	}
	return translate(err, "post categories")
}
