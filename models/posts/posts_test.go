package posts_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/models/storetest"
)

// env is a service on a real, migrated database, recording every change it reports.
type env struct {
	store   *models.Store
	svc     *posts.Service
	now     time.Time // the clock
	changes []posts.Change
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return e.now }
	store, err := models.Open(context.Background(), storetest.Target(t), models.Options{Now: clock, BaseURL: "http://blog.test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.CreateUser(context.Background(), &models.User{Name: "writer", Email: "w@example.com", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	e.store, e.svc = store, posts.New(store, posts.Options{Markdown: markup.New(), Now: clock})
	e.svc.OnChange(func(_ context.Context, c posts.Change) { e.changes = append(e.changes, c) })
	return e
}

func draft(title string) *models.Post {
	return &models.Post{Kind: models.KindPost, AuthorID: 1, Title: title, Body: "Text.", Status: models.StatusDraft}
}

// ops lists the changes heard since the last call.
func (e *env) ops() string {
	var out []string
	for _, c := range e.changes {
		out = append(out, string(c.Op))
	}
	e.changes = nil
	return strings.Join(out, ",")
}

func TestSlugs(t *testing.T) {
	tests := []struct {
		name      string
		number    bool
		slug      string
		wantSlugs []string // of three posts titled alike
		wantErr   bool     // for the second and third
	}{
		{"numbered for clients that cannot pick another", true, "", []string{"hello-world", "hello-world-2", "hello-world-3"}, false},
		{"numbered from an explicit slug", true, "mine", []string{"mine", "mine-2", "mine-3"}, false},
		{"refused in the editor", false, "", []string{"hello-world"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			var got []string
			for i := range 3 {
				p := draft("  Hello World ")
				p.Slug = tt.slug
				err := e.svc.Create(ctx, p, posts.Edit{NumberSlug: tt.number})
				if i > 0 && tt.wantErr {
					if models.FieldErrors(err)["slug"] != models.MsgSlugTaken {
						t.Fatalf("post %d: err = %v, want the slug refused", i+1, err)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if p.Title != "Hello World" {
					t.Errorf("title not trimmed: %q", p.Title)
				}
				got = append(got, p.Slug)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.wantSlugs) {
				t.Errorf("slugs = %v, want %v", got, tt.wantSlugs)
			}
			if ops := e.ops(); strings.Count(ops, "created") != len(tt.wantSlugs) || strings.Contains(ops, "updated") {
				t.Errorf("changes heard = %q", ops)
			}
		})
	}
}

func TestSlugConflictOnUpdateIsRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a, b := draft("A"), draft("B")
	for _, p := range []*models.Post{a, b} {
		if err := e.svc.Create(ctx, p, posts.Edit{}); err != nil {
			t.Fatal(err)
		}
	}
	e.ops()
	b.Slug = "a"
	if err := e.svc.Update(ctx, b, posts.Edit{NumberSlug: true}); models.FieldErrors(err)["slug"] != models.MsgSlugTaken {
		t.Fatalf("update to a taken slug: %v", err)
	}
	if ops := e.ops(); ops != "" {
		t.Errorf("a failed update was reported: %q", ops)
	}
}

func TestTags(t *testing.T) {
	tests := []struct {
		name string
		tags []string
		want string
	}{
		{"tidied and unique by slug", []string{" Go ", "go", "Web   dev", "", "!!"}, "[Go Web dev]"},
		{"none", nil, "[]"},
		{"a comma inside a category name stays", []string{"Cats, dogs"}, "[Cats, dogs]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			p := draft("Tagged")
			if err := e.svc.Create(ctx, p, posts.Edit{Tags: []string{"old"}}); err != nil {
				t.Fatal(err)
			}
			if err := e.svc.Update(ctx, p, posts.Edit{Tags: tt.tags}); err != nil {
				t.Fatal(err)
			}
			stored, err := e.store.PostByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(posts.TagNames(stored.Tags)); got != tt.want {
				t.Errorf("tags = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPublishQueuesNotifications(t *testing.T) {
	tests := []struct {
		name     string
		kind     models.PostKind
		status   models.PostStatus
		at       *time.Time
		queued   int
		notifies bool
	}{
		{"published post", models.KindPost, models.StatusPublished, nil, 2, true},
		{"draft", models.KindPost, models.StatusDraft, nil, 0, false},
		{"private", models.KindPost, models.StatusPrivate, nil, 0, false},
		{"page", models.KindPage, models.StatusPublished, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			p := draft("Links")
			p.Kind, p.Body, p.PingURLs = tt.kind, "See [this](https://other.example/entry).", "https://tb.example/ping/1"
			posts.Schedule(p, tt.status, tt.at, e.svc.Now())
			if err := e.svc.Create(ctx, p, posts.Edit{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(p.BodyHTML, `href="https://other.example/entry"`) {
				t.Errorf("body not rendered: %q", p.BodyHTML)
			}
			ns, err := e.store.PostNotifications(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) != tt.queued {
				t.Errorf("%d notifications queued, want %d", len(ns), tt.queued)
			}
			if len(e.changes) != 1 || e.changes[0].Notifies() != tt.notifies {
				t.Errorf("changes = %+v, want one with Notifies %v", e.changes, tt.notifies)
			}
		})
	}
}

func TestSchedule(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	earlier := now.Add(-48 * time.Hour)
	tests := []struct {
		name       string
		had        *time.Time
		status     models.PostStatus
		at         *time.Time
		wantStatus models.PostStatus
		wantAt     *time.Time
	}{
		{"publish now", nil, models.StatusPublished, nil, models.StatusPublished, &now},
		{"publish keeps an earlier date", &earlier, models.StatusPublished, nil, models.StatusPublished, &earlier},
		{"publish at a future date schedules", nil, models.StatusPublished, &future, models.StatusScheduled, &future},
		{"schedule in the past publishes", nil, models.StatusScheduled, &past, models.StatusPublished, &past},
		{"schedule without a date asks for one", nil, models.StatusScheduled, nil, models.StatusScheduled, nil},
		{"a draft keeps its date", nil, models.StatusDraft, &future, models.StatusDraft, &future},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &models.Post{PublishedAt: tt.had}
			posts.Schedule(p, tt.status, tt.at, now)
			if p.Status != tt.wantStatus || fmt.Sprint(p.PublishedAt) != fmt.Sprint(tt.wantAt) {
				t.Errorf("got %s at %v, want %s at %v", p.Status, p.PublishedAt, tt.wantStatus, tt.wantAt)
			}
		})
	}
}

func TestScheduledPostGoesLiveOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := draft("Later")
	p.Body = "See [this](https://other.example/entry)."
	at := e.now.Add(time.Hour)
	posts.Schedule(p, models.StatusPublished, &at, e.svc.Now())
	if err := e.svc.Create(ctx, p, posts.Edit{}); err != nil {
		t.Fatal(err)
	}
	if p.Status != models.StatusScheduled {
		t.Fatalf("status = %s", p.Status)
	}
	e.ops()
	if due, err := e.svc.PublishDue(ctx); err != nil || len(due) != 0 || e.ops() != "" {
		t.Fatalf("early: %v %v", due, err)
	}
	e.now = e.now.Add(2 * time.Hour)
	due, err := e.svc.PublishDue(ctx)
	if err != nil || len(due) != 1 || due[0].ID != p.ID {
		t.Fatalf("due = %v, %v", due, err)
	}
	if len(e.changes) != 1 || e.changes[0].Op != posts.WentLive || !e.changes[0].Notifies() {
		t.Fatalf("changes = %+v", e.changes)
	}
	e.ops()
	if ns, _ := e.store.PostNotifications(ctx, p.ID); len(ns) != 1 {
		t.Errorf("notifications = %v", ns)
	}
	if due, _ := e.svc.PublishDue(ctx); len(due) != 0 || e.ops() != "" {
		t.Errorf("went live twice: %v", due)
	}
}

func TestAutosaveOnlyDrafts(t *testing.T) {
	tests := []struct {
		name     string
		stored   models.PostStatus // "" for a new post
		asked    models.PostStatus
		wantErr  bool
		wantBody string
	}{
		{"a new post becomes a draft", "", models.StatusPublished, false, "typed"},
		{"a draft stays a draft", models.StatusDraft, models.StatusPublished, false, "typed"},
		{"a published post is left alone", models.StatusPublished, models.StatusDraft, true, "Text."},
		{"a private post is left alone", models.StatusPrivate, models.StatusDraft, true, "Text."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			p := draft("Autosaved")
			if tt.stored != "" {
				posts.Schedule(p, tt.stored, nil, e.svc.Now())
				if err := e.svc.Create(ctx, p, posts.Edit{}); err != nil {
					t.Fatal(err)
				}
				e.ops()
				// The editor holds the post as it was loaded.
				p.Status = models.StatusDraft
			}
			p.Status, p.Body = tt.asked, "typed"
			err := e.svc.Autosave(ctx, p, []string{"t"})
			if tt.wantErr != posts.IsNotDraft(err) || (!tt.wantErr && err != nil) {
				t.Fatalf("err = %v, want not-a-draft %v", err, tt.wantErr)
			}
			stored, err := e.store.PostByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := models.StatusDraft
			if tt.stored != "" && tt.stored != models.StatusDraft {
				want = tt.stored
			}
			if stored.Status != want || stored.Body != tt.wantBody {
				t.Errorf("stored %s %q, want %s %q", stored.Status, stored.Body, want, tt.wantBody)
			}
			wantOps := "autosaved"
			if tt.wantErr {
				wantOps = ""
			}
			if ops := e.ops(); ops != wantOps {
				t.Errorf("changes = %q, want %q", ops, wantOps)
			}
		})
	}
}

func TestPublishAndUnpublish(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := draft("Draft")
	if err := e.svc.Create(ctx, p, posts.Edit{Tags: []string{"kept"}}); err != nil {
		t.Fatal(err)
	}
	e.ops()
	got, err := e.svc.Publish(ctx, p.ID)
	if err != nil || got.Status != models.StatusPublished || got.PublishedAt == nil || len(got.Tags) != 1 {
		t.Fatalf("publish: %+v %v", got, err)
	}
	if _, err := e.svc.Publish(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if ops := e.ops(); ops != "updated" {
		t.Errorf("changes = %q: publishing a published post is no write", ops)
	}
	got, err = e.svc.Unpublish(ctx, p.ID)
	if err != nil || got.Status != models.StatusDraft {
		t.Fatalf("unpublish: %+v %v", got, err)
	}
	if _, err := e.store.PostBySlug(ctx, models.KindPost, "draft"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("readers still see it: %v", err)
	}
	if _, err := e.svc.Publish(ctx, 9999); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("publish a missing post: %v", err)
	}
	if ops := e.ops(); ops != "updated" {
		t.Errorf("changes = %q", ops)
	}
}

func TestDelete(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := draft("Gone")
	if err := e.svc.Create(ctx, p, posts.Edit{}); err != nil {
		t.Fatal(err)
	}
	e.ops()
	got, err := e.svc.Delete(ctx, p.ID)
	if err != nil || got.Title != "Gone" {
		t.Fatalf("delete: %+v %v", got, err)
	}
	if _, err := e.store.PostByID(ctx, p.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("still stored: %v", err)
	}
	if len(e.changes) != 1 || e.changes[0].Op != posts.Deleted || e.changes[0].Post.ID != p.ID || e.changes[0].Notifies() {
		t.Errorf("changes = %+v", e.changes)
	}
	e.ops()
	if _, err := e.svc.Delete(ctx, p.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("delete again: %v", err)
	}
	if ops := e.ops(); ops != "" {
		t.Errorf("a failed delete was reported: %q", ops)
	}
}

type brokenMarkdown struct{}

func (brokenMarkdown) HTML(context.Context, string) (string, error) {
	return "", errors.New("renderer broke")
}

// TestHookOnlyOnSuccess: every failed write is silent, every successful one
// is heard once, by every hook, in order.
func TestHookOnlyOnSuccess(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var second []posts.Op
	e.svc.OnChange(func(_ context.Context, c posts.Change) { second = append(second, c.Op) })
	broken := posts.New(e.store, posts.Options{Markdown: brokenMarkdown{}})
	broken.OnChange(func(_ context.Context, c posts.Change) { t.Errorf("heard %s from a failed write", c.Op) })
	failures := []struct {
		name string
		do   func() error
	}{
		{"invalid post", func() error {
			return e.svc.Create(ctx, &models.Post{Kind: models.KindPost, Status: models.StatusDraft}, posts.Edit{})
		}},
		{"missing post", func() error { p := draft("x"); p.ID = 9999; return e.svc.Update(ctx, p, posts.Edit{}) }},
		{"renderer fails", func() error { return broken.Create(ctx, draft("y"), posts.Edit{}) }},
		{"autosave of an unknown id", func() error { p := draft("z"); p.ID = 9999; return e.svc.Autosave(ctx, p, nil) }},
		{"delete of an unknown id", func() error { _, err := e.svc.Delete(ctx, 9999); return err }},
		{"canceled", func() error {
			c, cancel := context.WithCancel(ctx)
			cancel()
			return e.svc.Create(c, draft("w"), posts.Edit{})
		}},
	}
	for _, f := range failures {
		if err := f.do(); err == nil {
			t.Errorf("%s: no error", f.name)
		}
	}
	if ops := e.ops(); ops != "" || len(second) != 0 {
		t.Fatalf("failed writes were heard: %q %v", ops, second)
	}
	p := draft("ok")
	if err := e.svc.Create(ctx, p, posts.Edit{}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Update(ctx, p, posts.Edit{}); err != nil {
		t.Fatal(err)
	}
	if ops := e.ops(); ops != "created,updated" || fmt.Sprint(second) != "[created updated]" {
		t.Errorf("heard %q and %v, want each write once", ops, second)
	}
}
