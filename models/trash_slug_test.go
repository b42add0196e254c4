package models

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/driver/sqlite"
)

// TestUpgradeFreesTrashedSlugs: a post trashed before migration 0023 gives
// up its slug on upgrade (slug__trashed), so a new post can take it, and
// a restore gives it back.
func TestUpgradeFreesTrashedSlugs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := open(sqlite.Open(sqliteDSN(path)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.migrate(ctx, dialectSQLite, 22); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := old.db.Exec(`INSERT INTO users (name, email, password_hash, created_at, updated_at) VALUES ('old', 'old@example.com', 'h', ?, ?)`, now, now).Error; err != nil {
		t.Fatal(err)
	}
	for _, row := range [][2]string{{"binned", "trash"}, {"kept", "published"}} {
		if err := old.db.Exec(`INSERT INTO posts (author_id, title, slug, body, body_html, status, status_before_trash, published_at, created_at, updated_at)
			VALUES (1, ?, ?, 'text', '<p>text</p>', ?, 'published', ?, ?, ?)`, row[0], row[0], row[1], now, now, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	s, err := OpenSQLite(ctx, path, Options{})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	slugs := map[string]string{}
	all, err := s.AllPosts(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		slugs[p.Title] = p.Slug
	}
	if slugs["binned"] != "binned__trashed" || slugs["kept"] != "kept" {
		t.Fatalf("slugs after upgrade: %v", slugs)
	}
	taker := &Post{Kind: KindPost, AuthorID: 1, Title: "New", Slug: "binned", Body: "x", Status: StatusDraft}
	if err := s.CreatePost(ctx, taker, nil); err != nil {
		t.Fatalf("a new post cannot take the freed slug: %v", err)
	}
	if err := s.DeletePost(ctx, taker.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RestorePost(ctx, all[0].ID); err != nil {
		t.Fatal(err)
	}
	if p, err := s.PostBySlug(ctx, KindPost, "binned"); err != nil || p.ID != all[0].ID {
		t.Errorf("restored: %+v %v", p, err)
	}
}
