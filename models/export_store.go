package models

import (
	"context"
)

// AllPosts lists n posts and pages of any status with ids above afterID,
// in id order, with their tags and categories: what an export walks.
func (s *Store) AllPosts(ctx context.Context, afterID int64, n int) ([]Post, error) {
	db := s.db.WithContext(ctx)
	var posts []Post
	if err := db.Where("id > ?", afterID).Order("id").Limit(limit(n)).Find(&posts).Error; err != nil {
		return nil, translate(err, "all posts")
	}
	if err := s.loadTags(db, ptrs(posts)); err != nil {
		return nil, translate(err, "post tags")
	}
	return posts, s.LoadCategories(ctx, ptrs(posts))
}

// AllFeedback lists a post's comments and linkbacks of every status but
// spam, oldest first.
func (s *Store) AllFeedback(ctx context.Context, postID int64) ([]Feedback, error) {
	var out []Feedback
	err := s.db.WithContext(ctx).Where("post_id = ? AND status <> ?", postID, ModSpam).Order("id").Find(&out).Error
	return out, translate(err, "all feedback")
}

// MediaAfter lists n media files with ids above afterID, with their bytes.
func (s *Store) MediaAfter(ctx context.Context, afterID int64, n int) ([]Media, error) {
	var out []Media
	err := s.db.WithContext(ctx).Where("id > ?", afterID).Order("id").Limit(n).Find(&out).Error
	return out, translate(err, "media")
}

// OldSlugs lists the slugs a post had before (slug_redirects), in order:
// exported as WordPress's _wp_old_slug, so old links survive a move.
func (s *Store) OldSlugs(ctx context.Context, postID int64) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Model(&SlugRedirect{}).Where("post_id = ?", postID).Order("old_slug").Pluck("old_slug", &out).Error
	return out, translate(err, "old slugs")
}
