package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// MenuPages lists the published pages the header menu shows (not those
// marked HideFromMenu), by menu order then title, without their text.
func (s *Store) MenuPages(ctx context.Context) ([]Post, error) {
	var pages []Post
	err := s.db.WithContext(ctx).Select("id", "kind", "title", "slug", "parent_id", "menu_order").
		Where("kind = ? AND status = ? AND hide_from_menu = ?", KindPage, StatusPublished, false).
		Order("menu_order, lower(title), id").Limit(200).Find(&pages).Error
	return pages, translate(err, "menu pages")
}

// AdjacentPosts finds the published posts just before and after p in
// publication order (nil at either end), in one query. The plain
// published_at bound lets both sides seek in the posts_public index instead
// of walking it from one end (13 ms at 100,000 posts).
func (s *Store) AdjacentPosts(ctx context.Context, p *Post) (prev, next *Post, err error) {
	if p.PublishedAt == nil {
		return nil, nil, nil
	}
	at := p.PublishedAt.UTC()
	const cols = "id, kind, title, slug, published_at, created_at"
	const where = "kind = 'post' AND status = 'published' AND id <> ?"
	var rows []struct {
		Post
		Side string
	}
	err = s.db.WithContext(ctx).Raw(`SELECT * FROM (SELECT `+cols+`, 'prev' AS side FROM posts WHERE `+where+`
			AND published_at <= ? AND (published_at < ? OR id < ?) ORDER BY published_at DESC, id DESC LIMIT 1) a
		UNION ALL
		SELECT * FROM (SELECT `+cols+`, 'next' AS side FROM posts WHERE `+where+`
			AND published_at >= ? AND (published_at > ? OR id > ?) ORDER BY published_at, id LIMIT 1) b`,
		p.ID, at, at, p.ID, p.ID, at, at, p.ID).Scan(&rows).Error
	for i := range rows {
		if rows[i].Side == "prev" {
			prev = &rows[i].Post
		} else {
			next = &rows[i].Post
		}
	}
	return prev, next, translate(err, "adjacent posts")
}

// AuthorByName finds a user by login name who has published at least one
// post, so an author archive neither lists nor confirms other accounts.
func (s *Store) AuthorByName(ctx context.Context, name string) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("name = ?", name).
		Where("EXISTS (SELECT 1 FROM posts p WHERE p.author_id = users.id AND p.kind = ? AND p.status = ?)", KindPost, StatusPublished).
		First(&u).Error
	return &u, translate(err, "author by name")
}

// Authors lists the users (at most 1000, without password hashes), for
// bylines.
func (s *Store) Authors(ctx context.Context) ([]User, error) {
	var users []User
	err := s.db.WithContext(ctx).Omit("password_hash").Order("id").Limit(1000).Find(&users).Error
	return users, translate(err, "authors")
}

// UsedCategories lists the categories that at least one published post
// is filed under, by name.
func (s *Store) UsedCategories(ctx context.Context) ([]Category, error) {
	var cs []Category
	err := s.db.WithContext(ctx).
		Where("EXISTS (SELECT 1 FROM post_categories pc JOIN posts p ON p.id = pc.post_id WHERE pc.category_id = categories.id AND p.status = ?)", StatusPublished).
		Order("lower(name), id").Limit(50000).Find(&cs).Error
	return cs, translate(err, "used categories")
}

// UsedTags lists the tags that at least one published post carries.
func (s *Store) UsedTags(ctx context.Context) ([]Tag, error) {
	var tags []Tag
	err := s.db.WithContext(ctx).
		Where("EXISTS (SELECT 1 FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = tags.id AND p.status = ?)", StatusPublished).
		Order("lower(name), id").Limit(50000).Find(&tags).Error
	return tags, translate(err, "used tags")
}

// CountPublished counts published posts and pages together.
func (s *Store) CountPublished(ctx context.Context) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Post{}).Where("status = ? AND password = ''", StatusPublished).Count(&n).Error
	return int(n), translate(err, "count published")
}

// PublishedAddresses lists published posts and pages without password
// (what search engines may index), oldest first, without their text:
// offset and n page through them for the sitemap (n up to 50,000).
func (s *Store) PublishedAddresses(ctx context.Context, offset, n int) ([]Post, error) {
	var out []Post
	err := s.db.WithContext(ctx).Select("id", "kind", "slug", "published_at", "created_at", "updated_at").
		Where("status = ? AND password = ''", StatusPublished).Order("id").Offset(offset).Limit(n).Find(&out).Error
	return out, translate(err, "published addresses")
}

// LastPublished is when the newest published post or page was last
// updated (zero when there is none).
func (s *Store) LastPublished(ctx context.Context) (time.Time, error) {
	var p Post
	err := s.db.WithContext(ctx).Select("updated_at").Where("status = ?", StatusPublished).
		Order("updated_at DESC").Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return time.Time{}, nil
	}
	return p.UpdatedAt, translate(err, "last published")
}
