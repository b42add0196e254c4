package posts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
)

// TestTrashLifecycle: trash keeps the status to restore, hooks hear each
// step, and EmptyTrash deletes only what sat there for 30 days.
func TestTrashLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := draft("Going")
	p.Status = models.StatusPublished
	if err := e.svc.Create(ctx, p, posts.Edit{}); err != nil {
		t.Fatal(err)
	}
	kept := draft("Kept")
	if err := e.svc.Create(ctx, kept, posts.Edit{}); err != nil {
		t.Fatal(err)
	}
	e.ops()
	trashed, err := e.svc.Trash(ctx, p.ID, nil)
	if err != nil || trashed.Status != models.StatusTrash || trashed.StatusBeforeTrash != models.StatusPublished || trashed.TrashedAt == nil {
		t.Fatalf("trash: %+v %v", trashed, err)
	}
	if _, err := e.store.PostBySlug(ctx, models.KindPost, p.Slug); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a trashed post is still public: %v", err)
	}
	if _, err := e.svc.Trash(ctx, p.ID, nil); !errors.Is(err, models.ErrConflict) {
		t.Errorf("trashing twice: %v", err)
	}
	restored, err := e.svc.Restore(ctx, p.ID, nil)
	if err != nil || restored.Status != models.StatusPublished || restored.TrashedAt != nil {
		t.Fatalf("restore: %+v %v", restored, err)
	}
	if got := e.ops(); got != "trashed,restored" {
		t.Errorf("hooks heard %q", got)
	}
	if _, err := e.svc.Trash(ctx, p.ID, nil); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(29 * 24 * time.Hour)
	if _, err := e.svc.Trash(ctx, kept.ID, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.EmptyTrash(ctx); n != 0 || err != nil {
		t.Errorf("after 29 days EmptyTrash deleted %d, %v", n, err)
	}
	e.now = e.now.Add(2 * 24 * time.Hour)
	if n, err := e.svc.EmptyTrash(ctx); n != 1 || err != nil {
		t.Errorf("after 31 days EmptyTrash deleted %d, %v", n, err)
	}
	if _, err := e.store.PostByID(ctx, p.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the old trash is still there: %v", err)
	}
	if _, err := e.store.PostByID(ctx, kept.ID); err != nil {
		t.Errorf("the newer trash went too: %v", err)
	}
}

// TestRevisions: every save but an autosave keeps one, a save that changes
// nothing keeps none, the editor named is its author, and the cap holds.
func TestRevisions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	editor := &models.User{Name: "ed", Email: "ed@example.com", PasswordHash: "x", Role: models.RoleEditor}
	if err := e.store.CreateUser(ctx, editor); err != nil {
		t.Fatal(err)
	}
	p := draft("Rev")
	if err := e.svc.Create(ctx, p, posts.Edit{}); err != nil {
		t.Fatal(err)
	}
	p.Body = "Typed on."
	if err := e.svc.Autosave(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Update(ctx, p, posts.Edit{By: editor}); err != nil { // the same text as the autosave
		t.Fatal(err)
	}
	if err := e.svc.Update(ctx, p, posts.Edit{By: editor}); err != nil { // nothing changed
		t.Fatal(err)
	}
	revs, err := e.store.Revisions(ctx, p.ID)
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions = %+v, %v", revs, err)
	}
	if revs[0].Body != "Typed on." || revs[0].AuthorID != editor.ID || revs[0].AuthorName != "ed" || revs[1].AuthorID != 1 {
		t.Errorf("revisions = %+v", revs)
	}
	for i := range models.MaxRevisions + 5 {
		p.Body = string(rune('a' + i%26))
		p.Title = "Rev " + p.Body + string(rune('0'+i/26))
		if err := e.svc.Update(ctx, p, posts.Edit{}); err != nil {
			t.Fatal(err)
		}
	}
	if revs, _ := e.store.Revisions(ctx, p.ID); len(revs) != models.MaxRevisions || revs[0].Title != p.Title {
		t.Errorf("after many saves: %d revisions, newest %q", len(revs), revs[0].Title)
	}
}
