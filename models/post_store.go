package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreatePost stores a new post with its tags and, if it is published, the
// notifications of the sites it links to (see queueNotifications).
func (s *Store) CreatePost(ctx context.Context, p *Post, tags []string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.checkSlugFree(tx, p); err != nil {
			return err
		}
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		if err := s.replaceTags(tx, p, tags); err != nil {
			return err
		}
		if !isAutosave(ctx) {
			if err := s.keepRevision(ctx, tx, p); err != nil {
				return err
			}
		}
		return s.queueNotifications(tx, p)
	})
	return slugConflict(translate(err, "create post"))
}

// UpdatePost saves an edited post. A changed slug leaves a redirect behind, so
// links to the old address keep working; a draft that was never published had
// no address, so its slug changes (an autosaved title growing) leave none.
func (s *Store) UpdatePost(ctx context.Context, p *Post, tags []string) error {
	return s.updatePost(ctx, p, tags, false)
}

// UpdateDraft saves p only while the stored post is still a draft, atomically:
// an autosave must not turn back a publish made meanwhile in another tab.
// A post that is no longer a draft is ErrConflict.
func (s *Store) UpdateDraft(ctx context.Context, p *Post, tags []string) error {
	return s.updatePost(ctx, p, tags, true)
}

func (s *Store) updatePost(ctx context.Context, p *Post, tags []string, onlyDraft bool) error {
	if err := p.Validate(); err != nil {
		return err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Post
		if err := tx.Select("id", "slug", "status", "published_at").First(&old, p.ID).Error; err != nil {
			return err
		}
		if onlyDraft && old.Status != StatusDraft {
			return ErrConflict
		}
		if err := keepTrashConsistent(&old, p); err != nil {
			return err
		}
		if err := s.checkSlugFree(tx, p); err != nil {
			return err
		}
		if old.Slug != p.Slug {
			if err := tx.Where("old_slug = ?", p.Slug).Delete(&SlugRedirect{}).Error; err != nil {
				return err
			}
		}
		if old.Slug != p.Slug && (old.Status != StatusDraft || old.PublishedAt != nil) {
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).
				Create(&SlugRedirect{OldSlug: old.Slug, PostID: p.ID}).Error; err != nil {
				return err
			}
		}
		// Updates, not Save: Save inserts when no row matches.
		q := tx.Model(&Post{ID: p.ID}).Select("*").Omit("id", "created_at", "author_id")
		if onlyDraft { // checked again in the statement itself, for PostgreSQL's concurrent writers
			q = q.Where("status = ?", StatusDraft)
		}
		res := q.Updates(p)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if err := s.replaceTags(tx, p, tags); err != nil {
			return err
		}
		if !onlyDraft { // autosaves keep no revision
			if err := s.keepRevision(ctx, tx, p); err != nil {
				return err
			}
		}
		return s.queueNotifications(tx, p)
	})
	return slugConflict(translate(err, "update post"))
}

// keepTrashConsistent lets a trashed post (an imported one, say) be saved
// in the trash, but only TrashPost puts a post there (it remembers when and
// the status before); a save that takes it out forgets both.
func keepTrashConsistent(old, p *Post) error {
	switch {
	case p.Status == StatusTrash && old.Status != StatusTrash:
		return &ValidationError{Fields: map[string]string{"status": "Use Move to Trash to trash a post."}}
	case p.Status != StatusTrash:
		p.TrashedAt, p.StatusBeforeTrash = nil, ""
	}
	return nil
}

// checkSlugFree refuses a slug that another post uses.
func (s *Store) checkSlugFree(tx *gorm.DB, p *Post) error {
	var n int64
	if err := tx.Model(&Post{}).Where("slug = ? AND id <> ?", p.Slug, p.ID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return &ValidationError{Fields: map[string]string{"slug": MsgSlugTaken}}
	}
	return nil
}

// slugConflict turns a unique-index race on the slug into the same message.
func slugConflict(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return &ValidationError{Fields: map[string]string{"slug": MsgSlugTaken}}
	}
	return err
}

func (s *Store) replaceTags(tx *gorm.DB, p *Post, names []string) error {
	if err := tx.Where("post_id = ?", p.ID).Delete(&PostTag{}).Error; err != nil {
		return err
	}
	p.Tags = p.Tags[:0]
	for _, name := range names {
		slug := Slugify(name)
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Tag{Name: name, Slug: slug}).Error; err != nil {
			return err
		}
		var tag Tag // fresh: a no-op insert may leave a stale id behind
		if err := tx.Where("slug = ?", slug).First(&tag).Error; err != nil {
			return err
		}
		if err := tx.Create(&PostTag{PostID: p.ID, TagID: tag.ID}).Error; err != nil {
			return err
		}
		p.Tags = append(p.Tags, tag)
	}
	return nil
}

// DeletePost removes a post with its tags links and feedback.
func (s *Store) DeletePost(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Delete(&Post{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(gorm.ErrRecordNotFound, "delete post")
	}
	return translate(res.Error, "delete post")
}

// PostByID finds any post, whatever its status, with its tags.
func (s *Store) PostByID(ctx context.Context, id int64) (*Post, error) {
	var p Post
	db := s.db.WithContext(ctx)
	if err := db.First(&p, id).Error; err != nil {
		return nil, translate(err, fmt.Sprintf("post %d", id))
	}
	return &p, translate(s.loadTags(db, []*Post{&p}), "post tags")
}

// postHeadColumns are the posts columns PostHeadByID reads: everything
// but the text (body, body_html) and the writer's ping and skip lists.
const postHeadColumns = "id, kind, author_id, title, slug, excerpt, status, allow_comments, allow_pings, " +
	"published_at, created_at, updated_at"

// PostHeadByID finds any post, whatever its status, without its text, ping
// lists or tags: what a linkback endpoint checks (kind, status, switches,
// dates, address, title, excerpt). A ping costs one small read instead of
// the post's whole body.
func (s *Store) PostHeadByID(ctx context.Context, id int64) (*Post, error) {
	var p Post
	if err := s.prepared(ctx).Select(postHeadColumns).Where("id = ?", id).Take(&p).Error; err != nil {
		return nil, translate(err, fmt.Sprintf("post %d", id))
	}
	return &p, nil
}

// PostBySlug finds a published post or page by its slug, with its tags.
func (s *Store) PostBySlug(ctx context.Context, kind PostKind, slug string) (*Post, error) {
	return s.postBySlug(ctx, kind, slug, StatusPublished)
}

// postBySlug finds a post or page of one of statuses by its slug, with its tags.
func (s *Store) postBySlug(ctx context.Context, kind PostKind, slug string, statuses ...PostStatus) (*Post, error) {
	var p Post
	db := s.db.WithContext(ctx)
	err := db.Where("slug = ? AND kind = ? AND status IN ?", slug, kind, statuses).First(&p).Error
	if err != nil {
		return nil, translate(err, "post by slug")
	}
	return &p, translate(s.loadTags(db, []*Post{&p}), "post tags")
}

// RedirectedPost finds the published post that used to have oldSlug.
func (s *Store) RedirectedPost(ctx context.Context, oldSlug string) (*Post, error) {
	var p Post
	err := s.db.WithContext(ctx).Joins("JOIN slug_redirects r ON r.post_id = posts.id").
		Where("r.old_slug = ? AND posts.status = ?", oldSlug, StatusPublished).First(&p).Error
	return &p, translate(err, "redirected post")
}

// PublishedPosts lists published posts, newest first, with their tags.
func (s *Store) PublishedPosts(ctx context.Context, f PostFilter) ([]Post, error) {
	db := s.db.WithContext(ctx)
	kind := f.Kind
	if kind == "" {
		kind = KindPost
	}
	q := db.Model(&Post{}).Where("posts.kind = ? AND posts.status = ?", kind, StatusPublished)
	if f.TagSlug != "" {
		q = q.Joins("JOIN post_tags pt ON pt.post_id = posts.id JOIN tags t ON t.id = pt.tag_id").
			Where("t.slug = ?", f.TagSlug)
	}
	if len(f.CategoryIDs) > 0 {
		q = q.Where("EXISTS (SELECT 1 FROM post_categories pc WHERE pc.post_id = posts.id AND pc.category_id IN ?)", f.CategoryIDs)
	}
	if f.AuthorID != 0 {
		q = q.Where("posts.author_id = ?", f.AuthorID)
	}
	if !f.From.IsZero() {
		q = q.Where("posts.published_at >= ?", f.From.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("posts.published_at < ?", f.Until.UTC())
	}
	var posts []Post
	err := q.Order("posts.published_at DESC, posts.id DESC").Offset(f.Offset).Limit(limit(f.Limit)).
		Find(&posts).Error
	if err != nil {
		return nil, translate(err, "published posts")
	}
	for i := range posts { // listings and feeds never show a protected text
		posts[i].HideProtected()
	}
	return posts, translate(s.loadTags(db, ptrs(posts)), "post tags")
}

// AdminPosts lists posts of any status for the admin, most recently edited first.
func (s *Store) AdminPosts(ctx context.Context, kind PostKind, status PostStatus, offset, n int) ([]Post, error) {
	q := s.db.WithContext(ctx).Where("kind = ?", kind)
	if status != "" {
		q = q.Where("status = ?", status)
	} else { // "All" leaves the trash out, as WordPress does
		q = q.Where("status <> ?", StatusTrash)
	}
	var posts []Post
	err := q.Omit("body", "body_html").Order("updated_at DESC, id DESC").Offset(offset).Limit(limit(n)).Find(&posts).Error
	return posts, translate(err, "admin posts")
}

// PostCounts counts posts (not pages) by status, from the counters kept
// by triggers (migration 0014).
func (s *Store) PostCounts(ctx context.Context) (map[PostStatus]int, error) {
	var rows []struct {
		Status PostStatus
		N      int
	}
	err := s.db.WithContext(ctx).Table("post_counts").Select("status, n").
		Where("kind = ? AND n > 0", KindPost).Scan(&rows).Error
	out := map[PostStatus]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, translate(err, "post counts")
}

// PublishDue publishes the scheduled posts whose time has come and returns
// them, queuing their notifications in the same transaction.
func (s *Store) PublishDue(ctx context.Context) ([]Post, error) {
	var due []Post
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Locked as read (skipping posts another instance is publishing
		// right now): each due post goes live, and queues its notifications,
		// in exactly one transaction.
		if err := s.skipLocked(tx).Where("status = ? AND published_at <= ?", StatusScheduled, s.now()).Find(&due).Error; err != nil {
			return err
		}
		went := due[:0]
		for _, p := range due {
			// Only if it is still scheduled: another instance may have published
			// it, or the writer pulled it back, since the read above.
			res := tx.Model(&Post{}).Where("id = ? AND status = ?", p.ID, StatusScheduled).Update("status", StatusPublished)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue
			}
			p.Status = StatusPublished
			if err := s.queueNotifications(tx, &p); err != nil {
				return err
			}
			went = append(went, p)
		}
		due = went
		return nil
	})
	return due, translate(err, "publish due posts")
}

// TagBySlug finds a tag that at least one published post carries, so a
// tag used only by drafts does not give their subject away.
func (s *Store) TagBySlug(ctx context.Context, slug string) (*Tag, error) {
	var t Tag
	err := s.db.WithContext(ctx).Where("slug = ?", slug).
		Where("EXISTS (SELECT 1 FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = tags.id AND p.status = ?)", StatusPublished).
		First(&t).Error
	return &t, translate(err, "tag by slug")
}

// Tags lists every tag by name.
func (s *Store) Tags(ctx context.Context) ([]Tag, error) {
	var tags []Tag
	err := s.db.WithContext(ctx).Order("lower(name), id").Limit(5000).Find(&tags).Error
	return tags, translate(err, "tags")
}

// RecentPosts lists posts of any status, newest first by publication date
// (creation date for those never published), with their tags.
func (s *Store) RecentPosts(ctx context.Context, kind PostKind, n int) ([]Post, error) {
	db := s.db.WithContext(ctx)
	var posts []Post
	err := db.Where("kind = ?", kind).Order("COALESCE(published_at, created_at) DESC, id DESC").
		Limit(limit(n)).Find(&posts).Error
	if err != nil {
		return nil, translate(err, "recent posts")
	}
	return posts, translate(s.loadTags(db, ptrs(posts)), "post tags")
}

// loadTags fills the Tags of posts with one query.
func (s *Store) loadTags(db *gorm.DB, posts []*Post) error {
	if len(posts) == 0 {
		return nil
	}
	ids := make([]int64, len(posts))
	byID := make(map[int64]*Post, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
		byID[p.ID] = p
		p.Tags = nil
	}
	var rows []struct {
		PostID int64
		Tag
	}
	err := db.Table("post_tags").Select("post_tags.post_id, tags.id, tags.name, tags.slug").
		Joins("JOIN tags ON tags.id = post_tags.tag_id").Where("post_tags.post_id IN ?", ids).
		Order("tags.name").Scan(&rows).Error
	for _, r := range rows {
		byID[r.PostID].Tags = append(byID[r.PostID].Tags, r.Tag)
	}
	return err
}

func ptrs(posts []Post) []*Post {
	out := make([]*Post, len(posts))
	for i := range posts {
		out[i] = &posts[i]
	}
	return out
}

// limit bounds a page size, so no listing can ask for everything at once.
func limit(n int) int {
	if n <= 0 || n > 200 {
		return 200
	}
	return n
}
