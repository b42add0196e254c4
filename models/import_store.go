package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ImportID remembers which local row an imported item became: kind is
// post, comment, user, category, tag, media or media-url, key the old
// site's id (or, for media-url, the address).
type ImportID struct {
	Source  string `gorm:"primaryKey"`
	Kind    string `gorm:"primaryKey"`
	Key     string `gorm:"primaryKey"`
	LocalID int64
	GUID    string `gorm:"column:guid"`
}

// TableName names the table as migration 0020 creates it.
func (ImportID) TableName() string { return "import_ids" }

// PathRedirect sends an old site's path (a permalink, an upload's address)
// to the post or media file it became.
type PathRedirect struct {
	Path    string `gorm:"primaryKey"`
	PostID  *int64
	MediaID *int64
}

// ImportTx writes one import in one transaction, beside the post service on
// purpose: imported posts are history, so no hook runs, no notification is
// queued and nothing is pinged or federated.
type ImportTx struct {
	tx     *gorm.DB
	source string
	known  map[string]int64
}

// errRollback ends a dry run's transaction without an error reaching the caller.
var errRollback = errors.New("dry run")

// Import runs fn in one transaction for the site source. A failure of fn
// (or dryRun) rolls everything back.
func (s *Store) Import(ctx context.Context, source string, dryRun bool, fn func(*ImportTx) error) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t := &ImportTx{tx: tx, source: source, known: map[string]int64{}}
		var rows []ImportID
		if err := tx.Where("source = ?", source).Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			t.known[r.Kind+"\x00"+r.Key] = r.LocalID
		}
		if err := fn(t); err != nil {
			return err
		}
		if dryRun {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	return translate(err, "import")
}

// Known returns the local id an item of kind with key became in an earlier import.
func (t *ImportTx) Known(kind, key string) (int64, bool) {
	id, ok := t.known[kind+"\x00"+key]
	return id, ok
}

// KnownID is Known for a numeric WordPress id.
func (t *ImportTx) KnownID(kind string, wpID int64) (int64, bool) {
	return t.Known(kind, strconv.FormatInt(wpID, 10))
}

// Remember records that the item of kind with key became localID.
func (t *ImportTx) Remember(kind, key, guid string, localID int64) error {
	t.known[kind+"\x00"+key] = localID
	return t.tx.Clauses(clause.OnConflict{UpdateAll: true}).
		Create(&ImportID{Source: t.source, Kind: kind, Key: key, LocalID: localID, GUID: guid}).Error
}

// RememberAll records many items of one kind at once (keys[i] became ids[i]).
func (t *ImportTx) RememberAll(kind string, keys []string, ids []int64) error {
	if len(keys) == 0 {
		return nil
	}
	rows := make([]ImportID, len(keys))
	for i, k := range keys {
		t.known[kind+"\x00"+k] = ids[i]
		rows[i] = ImportID{Source: t.source, Kind: kind, Key: k, LocalID: ids[i]}
	}
	return t.tx.Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(rows, 200).Error
}

// UserByName finds an account by its login name.
func (t *ImportTx) UserByName(name string) (*User, error) {
	var u User
	err := t.tx.Where("name = ?", name).First(&u).Error
	return &u, translate(err, "user by name")
}

// CreateUser stores a new account.
func (t *ImportTx) CreateUser(u *User) error { return t.tx.Create(u).Error }

// Category returns the category with slug, creating it (with parent) when
// there is none.
func (t *ImportTx) Category(name, slug, description string, parent *int64) (*Category, error) {
	var c Category
	err := t.tx.Where("slug = ?", slug).First(&c).Error
	if err == nil || !errors.Is(err, gorm.ErrRecordNotFound) {
		return &c, err
	}
	c = Category{Name: name, Slug: slug, Description: description, ParentID: parent}
	return &c, t.tx.Create(&c).Error
}

// TagID returns the id of the tag with slug, creating it named name.
func (t *ImportTx) TagID(name, slug string) (int64, error) {
	if err := t.tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Tag{Name: name, Slug: slug}).Error; err != nil {
		return 0, err
	}
	var tag Tag
	err := t.tx.Where("slug = ?", slug).First(&tag).Error
	return tag.ID, err
}

// SlugFree reports whether no post has slug.
func (t *ImportTx) SlugFree(slug string) (bool, error) {
	var n int64
	err := t.tx.Model(&Post{}).Where("slug = ?", slug).Count(&n).Error
	return n == 0, err
}

// CreatePost stores p as it is (its dates and status included) with its
// tags and categories. The caller has made its slug free.
func (t *ImportTx) CreatePost(p *Post, tagIDs, categoryIDs []int64) error {
	if err := t.tx.Create(p).Error; err != nil {
		return fmt.Errorf("post %q: %w", p.Slug, err)
	}
	for _, id := range tagIDs {
		if err := t.tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&PostTag{PostID: p.ID, TagID: id}).Error; err != nil {
			return err
		}
	}
	for _, id := range categoryIDs {
		if err := t.tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&PostCategory{PostID: p.ID, CategoryID: id}).Error; err != nil {
			return err
		}
	}
	return nil
}

// UpdateImportedPost sets what is known only once every item is stored:
// the parent page, the featured image and the body with its links rewritten.
func (t *ImportTx) UpdateImportedPost(id int64, parentID, featured *int64, body, bodyHTML string) error {
	return t.tx.Model(&Post{}).Where("id = ?", id).UpdateColumns(map[string]any{
		"parent_id": parentID, "featured_media_id": featured, "body": body, "body_html": bodyHTML}).Error
}

// AddComments stores comments in batches; their ids are filled in.
func (t *ImportTx) AddComments(fs []Feedback) error {
	if len(fs) == 0 {
		return nil
	}
	for i := range fs {
		fs[i].Normalize()
	}
	return t.tx.CreateInBatches(fs, 200).Error
}

// AddLinkback stores a TrackBack or Pingback; one from the same source to the
// same post already stored reports created false.
func (t *ImportTx) AddLinkback(f *Feedback) (bool, error) {
	f.Normalize()
	res := t.tx.Clauses(clause.OnConflict{DoNothing: true}).Create(f)
	return res.RowsAffected > 0, res.Error
}

// SetFeedbackParent threads a comment under another.
func (t *ImportTx) SetFeedbackParent(id, parentID int64) error {
	return t.tx.Model(&Feedback{}).Where("id = ?", id).UpdateColumn("parent_id", parentID).Error
}

// AddMedia stores a file, or finds the same bytes under the same name.
func (t *ImportTx) AddMedia(m *Media) error {
	var old Media
	err := t.tx.Omit("data").Where("sha256 = ? AND name = ?", m.SHA256, m.Name).First(&old).Error
	if err == nil {
		m.ID, m.CreatedAt = old.ID, old.CreatedAt
		return nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	return t.tx.Create(m).Error
}

// AddPathRedirect sends an old path to a post or a media file; a path
// already taken keeps its target. It reports whether it was added.
func (t *ImportTx) AddPathRedirect(r PathRedirect) (bool, error) {
	res := t.tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
	return res.RowsAffected > 0, res.Error
}

// AddSlugRedirect sends an old slug (WordPress's _wp_old_slug) to a post,
// unless the slug redirects elsewhere already.
func (t *ImportTx) AddSlugRedirect(slug string, postID int64) (bool, error) {
	res := t.tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&SlugRedirect{OldSlug: slug, PostID: postID})
	return res.RowsAffected > 0, res.Error
}

// Media finds a stored file without its bytes.
func (t *ImportTx) Media(id int64) (*Media, error) {
	var m Media
	err := t.tx.Omit("data").First(&m, id).Error
	return &m, err
}
