package models

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/driver/sqlite"
)

// TestUpgradeFromPreviousSchema opens a database made by schema version 1,
// with data in it, and checks that the upgrade keeps the data.
func TestUpgradeFromPreviousSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := open(sqlite.Open(sqliteDSN(path)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.migrate(ctx, dialectSQLite, 1); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := old.db.Exec(`INSERT INTO users (name, email, password_hash, created_at, updated_at) VALUES ('old', 'old@example.com', 'h', ?, ?)`, now, now).Error; err != nil {
		t.Fatal(err)
	}
	if err := old.db.Exec(`INSERT INTO posts (author_id, title, slug, body, body_html, status, published_at, created_at, updated_at)
		VALUES (1, 'Old post', 'old-post', 'text', '<p>text</p>', 'published', ?, ?, ?)`, now, now, now).Error; err != nil {
		t.Fatal(err)
	}
	if v, _ := old.SchemaVersion(ctx); v != 1 {
		t.Fatalf("old schema version = %d", v)
	}
	old.Close()

	s, err := OpenSQLite(ctx, path, Options{})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	all, _ := migrations(dialectSQLite)
	if v, _ := s.SchemaVersion(ctx); v != all[len(all)-1].version {
		t.Errorf("schema version after upgrade = %d, want %d", v, all[len(all)-1].version)
	}
	p, err := s.PostBySlug(ctx, KindPost, "old-post")
	if err != nil || p.Title != "Old post" || !p.PublishedAt.Equal(now) {
		t.Fatalf("old post after upgrade: %+v, %v", p, err)
	}
	if _, err := s.AddFeedback(ctx, &Feedback{PostID: p.ID, Kind: FeedbackComment, Status: ModPending, Content: "hi"}); err != nil {
		t.Errorf("new tables usable after upgrade: %v", err)
	}
	// Opening again applies nothing twice.
	s2, err := OpenSQLite(ctx, path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	s2.Close()
}

// TestDialectsHaveTheSameMigrations keeps the SQLite and PostgreSQL schemas in step.
func TestDialectsHaveTheSameMigrations(t *testing.T) {
	lite, err1 := migrations(dialectSQLite)
	pg, err2 := migrations(dialectPostgres)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if len(lite) != len(pg) {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].name != pg[i].name {
			t.Errorf("migration %d: %s vs %s", i, lite[i].name, pg[i].name)
		}
	}
}

func TestRefuseNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	s, err := OpenSQLite(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := migrations(dialectSQLite)
	newest := all[len(all)-1].version
	if err := s.db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future.sql', ?)",
		newest+5, time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = OpenSQLite(ctx, path, Options{})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("opened a newer schema: %v", err)
	}
	want := fmt.Sprintf("schema version %d, this Crosstalk knows versions up to %d; run a Crosstalk release that knows schema version %d",
		newest+5, newest, newest+5)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks %q", err, want)
	}
}
