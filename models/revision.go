package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// MaxRevisions is how many revisions a post keeps; older ones are dropped.
const MaxRevisions = 50

// Revision is a post's text as one save left it. Autosaves keep none.
type Revision struct {
	ID        int64
	PostID    int64
	AuthorID  int64
	Title     string
	Body      string
	Excerpt   string
	CreatedAt time.Time
	// AuthorName is the byline of who saved (filled by Revisions).
	AuthorName string `gorm:"-"`
}

// TableName is the table's name for gorm.
func (Revision) TableName() string { return "post_revisions" }

// keepRevision stores p's text as a revision, in the save's transaction,
// unless it equals the latest one; the editor named in ctx (WithEditor) is
// its author, else the post's.
func (s *Store) keepRevision(ctx context.Context, tx *gorm.DB, p *Post) error {
	var last Revision
	err := tx.Where("post_id = ?", p.ID).Order("id DESC").Limit(1).Find(&last).Error
	if err != nil {
		return err
	}
	if last.ID != 0 && last.Title == p.Title && last.Body == p.Body && last.Excerpt == p.Excerpt {
		return nil
	}
	author := editorOf(ctx)
	if author == 0 {
		author = p.AuthorID
	}
	rev := Revision{PostID: p.ID, AuthorID: author, Title: p.Title, Body: p.Body, Excerpt: p.Excerpt, CreatedAt: s.now()}
	if err := tx.Create(&rev).Error; err != nil {
		return err
	}
	// Drop the oldest beyond the cap (the subquery is wrapped for MySQL-like
	// engines' LIMIT rule; SQLite and PostgreSQL take it as is).
	return tx.Where("post_id = ? AND id NOT IN (?)", p.ID,
		tx.Model(&Revision{}).Select("id").Where("post_id = ?", p.ID).Order("id DESC").Limit(MaxRevisions)).
		Delete(&Revision{}).Error
}

// Revisions lists a post's revisions, newest first, with their authors' bylines.
func (s *Store) Revisions(ctx context.Context, postID int64) ([]Revision, error) {
	var revs []Revision
	db := s.db.WithContext(ctx)
	if err := db.Where("post_id = ?", postID).Order("id DESC").Limit(MaxRevisions).Find(&revs).Error; err != nil {
		return nil, translate(err, "revisions")
	}
	names := map[int64]string{}
	for i := range revs {
		id := revs[i].AuthorID
		if _, ok := names[id]; !ok {
			var u User
			if err := db.Select("id", "name", "display_name").Where("id = ?", id).Limit(1).Find(&u).Error; err != nil {
				return nil, translate(err, "revision authors")
			}
			names[id] = u.Byline()
		}
		revs[i].AuthorName = names[id]
	}
	return revs, nil
}

// RevisionByID finds one revision of a post.
func (s *Store) RevisionByID(ctx context.Context, postID, id int64) (*Revision, error) {
	var r Revision
	err := s.db.WithContext(ctx).Where("post_id = ? AND id = ?", postID, id).First(&r).Error
	return &r, translate(err, "revision")
}
