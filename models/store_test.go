package models

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models/storetest"
)

// testClock is a settable clock for store tests.
type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time { return c.t }

func newTestStore(t testing.TB) (*Store, *testClock) {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	s, err := Open(context.Background(), storetest.Target(t), Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

func mustUser(t testing.TB, s *Store) *User {
	t.Helper()
	u := &User{Name: "alice", Email: "alice@example.com", PasswordHash: "x"}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func newPost(author int64, title string, status PostStatus, at *time.Time) *Post {
	return &Post{Kind: KindPost, AuthorID: author, Title: title, Slug: Slugify(title), Body: "Hello",
		BodyHTML: "<p>Hello</p>", Status: status, AllowComments: true, AllowPings: true, PublishedAt: at}
}

func TestCreateUserConflict(t *testing.T) {
	s, _ := newTestStore(t)
	mustUser(t, s)
	err := s.CreateUser(context.Background(), &User{Name: "alice", Email: "b@example.com", PasswordHash: "x"})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("duplicate user name: got %v, want ErrConflict (the SQLite driver must translate UNIQUE violations)", err)
	}
	if _, err := s.UserByLogin(context.Background(), "ALICE@example.com"); err != nil {
		t.Errorf("login by email, any case: %v", err)
	}
	if _, err := s.UserByLogin(context.Background(), "bob"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: got %v, want ErrNotFound", err)
	}
}

func TestPostLifecycle(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	now := clock.Now()
	p := newPost(u.ID, "Hello World", StatusPublished, &now)
	if err := s.CreatePost(ctx, p, []string{"Go", "Blogging"}); err != nil {
		t.Fatal(err)
	}
	if p.Path() != "/2026/11/hello-world" {
		t.Errorf("Path = %q", p.Path())
	}
	got, err := s.PostBySlug(ctx, KindPost, "hello-world")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Tags) != 2 || got.Tags[0].Name != "Blogging" {
		t.Errorf("tags = %+v", got.Tags)
	}

	// Same slug again: a field error, not a 500.
	dup := newPost(u.ID, "Hello World", StatusDraft, nil)
	err = s.CreatePost(ctx, dup, nil)
	if FieldErrors(err)["slug"] == "" {
		t.Fatalf("duplicate slug: got %v, want a slug field error", err)
	}

	// Rename: the old slug redirects.
	got.Slug = "hello-again"
	if err := s.UpdatePost(ctx, got, []string{"Go"}); err != nil {
		t.Fatal(err)
	}
	moved, err := s.RedirectedPost(ctx, "hello-world")
	if err != nil || moved.Slug != "hello-again" {
		t.Fatalf("redirect: %v %+v", err, moved)
	}
	// Renaming back takes the slug out of the redirects.
	got.Slug = "hello-world"
	if err := s.UpdatePost(ctx, got, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedirectedPost(ctx, "hello-world"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a live slug must not also redirect: %v", err)
	}
	if err := s.DeletePost(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PostByID(ctx, got.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted post: %v", err)
	}
}

// TestDraftRenameLeavesNoRedirect: autosave renames a draft as its title
// grows; a post that never had an address must not leave redirects behind.
func TestDraftRenameLeavesNoRedirect(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	u := &User{Name: "ann", Email: "ann@example.com", PasswordHash: "x"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	p := newPost(u.ID, "My ess", StatusDraft, nil)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	p.Title, p.Slug = "My essay", "my-essay"
	if err := s.UpdatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedirectedPost(ctx, "my-ess"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a never-published draft left a redirect: %v", err)
	}
}

func TestPublishedPostsFilters(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	oct := time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)
	nov := clock.Now()
	future := nov.Add(time.Hour)
	for _, p := range []struct {
		post *Post
		tags []string
	}{
		{newPost(u.ID, "October", StatusPublished, &oct), []string{"Go"}},
		{newPost(u.ID, "November", StatusPublished, &nov), []string{"Cats"}},
		{newPost(u.ID, "Draft", StatusDraft, nil), []string{"Go"}},
		{newPost(u.ID, "Later", StatusScheduled, &future), []string{"Go"}},
	} {
		if err := s.CreatePost(ctx, p.post, p.tags); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		filter PostFilter
		want   []string
	}{
		{"all published, newest first", PostFilter{}, []string{"November", "October"}},
		{"tag", PostFilter{TagSlug: "go"}, []string{"October"}},
		{"month", PostFilter{From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, []string{"October"}},
		{"limit", PostFilter{Limit: 1}, []string{"November"}},
		{"offset", PostFilter{Limit: 1, Offset: 1}, []string{"October"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			posts, err := s.PublishedPosts(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, p := range posts {
				titles = append(titles, p.Title)
			}
			if len(titles) != len(tt.want) {
				t.Fatalf("got %v, want %v", titles, tt.want)
			}
			for i := range titles {
				if titles[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", titles, tt.want)
				}
			}
		})
	}
	if _, err := s.TagBySlug(ctx, "cats"); err != nil {
		t.Errorf("tag of a published post: %v", err)
	}
	draftOnly := newPost(u.ID, "Secret merger", StatusDraft, nil)
	if err := s.CreatePost(ctx, draftOnly, []string{"Merger"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TagBySlug(ctx, "merger"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a tag only drafts use must not be found: %v", err)
	}
	months, err := s.Months(ctx)
	if err != nil || len(months) != 2 || months[0] != (MonthCount{Year: 2026, Month: 11, Count: 1}) {
		t.Errorf("Months = %+v, %v", months, err)
	}

	// The scheduled post goes live when the clock passes its time.
	if due, _ := s.PublishDue(ctx); len(due) != 0 {
		t.Fatalf("nothing is due yet, got %d", len(due))
	}
	clock.t = future.Add(time.Second)
	due, err := s.PublishDue(ctx)
	if err != nil || len(due) != 1 || due[0].Title != "Later" {
		t.Fatalf("PublishDue = %+v, %v", due, err)
	}
	if _, err := s.PostBySlug(ctx, KindPost, "later"); err != nil {
		t.Errorf("scheduled post not public after its time: %v", err)
	}
}

func TestFeedbackQueue(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	now := clock.Now()
	p := newPost(u.ID, "Pinged", StatusPublished, &now)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	ping := func() *Feedback {
		return &Feedback{PostID: p.ID, Kind: FeedbackTrackBack, Status: ModPending, SourceURL: "https://other.example/a", Title: "A"}
	}
	created, err := s.AddFeedback(ctx, ping())
	if err != nil || !created {
		t.Fatalf("first ping: %v %v", created, err)
	}
	created, err = s.AddFeedback(ctx, ping())
	if err != nil || created {
		t.Fatalf("repeated ping must be stored once: created=%v err=%v", created, err)
	}
	for i := 0; i < 5; i++ { // comments never collide
		if created, err := s.AddFeedback(ctx, &Feedback{PostID: p.ID, Kind: FeedbackComment, Status: ModPending, AuthorName: "r", Content: "c"}); err != nil || !created {
			t.Fatal(err)
		}
	}
	counts, err := s.QueueCounts(ctx, "", 0)
	if err != nil || counts[ModPending] != 6 {
		t.Fatalf("counts = %v, %v", counts, err)
	}
	page1, err := s.Queue(ctx, QueueFilter{Status: ModPending, Limit: 4})
	if err != nil || len(page1) != 4 || page1[0].PostTitle != "Pinged" {
		t.Fatalf("page1 = %d items, %v", len(page1), err)
	}
	page2, err := s.Queue(ctx, QueueFilter{Status: ModPending, Limit: 4, BeforeID: page1[3].ID})
	if err != nil || len(page2) != 2 || page2[0].ID >= page1[3].ID {
		t.Fatalf("page2 = %+v, %v", page2, err)
	}
	onlyPings, _ := s.Queue(ctx, QueueFilter{Status: ModPending, Kind: FeedbackTrackBack})
	if len(onlyPings) != 1 {
		t.Errorf("kind filter: %d items", len(onlyPings))
	}
	if err := s.SetFeedbackStatus(ctx, ModApproved, onlyPings[0].ID, page2[0].ID); err != nil {
		t.Fatal(err)
	}
	approved, err := s.ApprovedFeedback(ctx, p.ID)
	if err != nil || len(approved) != 2 || approved[0].ID > approved[1].ID {
		t.Fatalf("approved (oldest first) = %+v, %v", approved, err)
	}
	if err := s.DeleteFeedback(ctx, approved[0].ID); err != nil {
		t.Fatal(err)
	}
	if approved, _ = s.ApprovedFeedback(ctx, p.ID); len(approved) != 1 {
		t.Errorf("after delete: %d approved", len(approved))
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	site := DefaultSite()
	site.Title, site.BlockList, site.PingsCloseDays = "My blog", []string{"spam.example", "192.0.2.7"}, 30
	if err := s.SetSettings(ctx, site.Settings()); err != nil {
		t.Fatal(err)
	}
	raw, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := SiteFromSettings(raw)
	if got.Title != "My blog" || len(got.BlockList) != 2 || got.PingsCloseDays != 30 || !got.ModerateAll {
		t.Errorf("round trip = %+v", got)
	}
	v1, _ := s.EnsureSetting(ctx, "k", "first")
	v2, _ := s.EnsureSetting(ctx, "k", "second")
	if v1 != "first" || v2 != "first" {
		t.Errorf("EnsureSetting kept %q then %q", v1, v2)
	}
}

func TestUpdateDraftRefusesAPublishedPost(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s)
	p := newPost(u.ID, "Racing", StatusDraft, nil)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	autosaved := *p
	autosaved.Body = "typed later"
	if err := s.UpdateDraft(ctx, &autosaved, nil); err != nil {
		t.Fatalf("autosave of a draft: %v", err)
	}
	published := *p // meanwhile, another tab publishes
	now := time.Now()
	published.Status, published.PublishedAt = StatusPublished, &now
	if err := s.UpdatePost(ctx, &published, nil); err != nil {
		t.Fatal(err)
	}
	late := autosaved
	late.Body = "stale autosave"
	err := s.UpdateDraft(ctx, &late, nil)
	if !errors.Is(err, ErrConflict) || FieldErrors(err) != nil {
		t.Fatalf("autosave after a publish: %v, want ErrConflict (not a field error)", err)
	}
	got, _ := s.PostByID(ctx, p.ID)
	if got.Status != StatusPublished || got.Body == "stale autosave" {
		t.Errorf("the publish was undone: %s %q", got.Status, got.Body)
	}
}
