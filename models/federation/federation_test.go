package federation

import (
	"context"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/models/storetest"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

const testBase = "https://blog.example"

// fixture is a service on a real store with one published post and one
// known remote actor (as if its key had been fetched and verified).
type fixture struct {
	svc   *Service
	store *models.Store
	post  *models.Post
	actor *models.RemoteActor
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clock := storetest.NewClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	store, err := models.Open(context.Background(), storetest.Target(t), models.Options{Now: clock.Now, BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	at := clock.Now().Add(-time.Hour)
	u := &models.User{Name: "writer", Email: "w@example.com", PasswordHash: "x", Role: models.RoleAuthor}
	if err := store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	post := &models.Post{AuthorID: u.ID, Kind: models.KindPost, Title: "Hello", Slug: "hello", Body: "Hi", BodyHTML: "<p>Hi</p>",
		Status: models.StatusPublished, AllowComments: true, AllowPings: true, PublishedAt: &at}
	if err := store.CreatePost(ctx, post, nil); err != nil {
		t.Fatal(err)
	}
	site := func(ctx context.Context) (models.Site, error) {
		m, err := store.Settings(ctx)
		return models.SiteFromSettings(m), err
	}
	posts := &intake.Service{Posts: store, Feedback: store, Site: site, BaseURL: testBase, Now: clock.Now}
	svc := &Service{Store: store, Posts: posts, Site: site, BaseURL: testBase, Now: clock.Now}
	actor := &models.RemoteActor{ID: "https://m.example/users/a", KeyID: "https://m.example/users/a#main-key", Username: "a",
		Name: "A", Inbox: "https://m.example/users/a/inbox", SharedInbox: "https://m.example/inbox", PublicKeyPem: "-", URL: "https://m.example/@a"}
	if err := store.SaveRemoteActor(ctx, actor); err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, store: store, post: post, actor: actor}
}

// TestOnPostChangeFollowsTheState: the hook sends Create once a post is
// public, Update while it stays so, Delete when it leaves (and nothing for
// a post kept off the fediverse), each to every follower's shared inbox once.
func TestOnPostChangeFollowsTheState(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, a := range []string{"https://m.example/users/a", "https://m.example/users/b"} {
		if _, err := f.store.AddFollower(ctx, &models.Follower{LocalActor: models.BlogActor, ActorID: a, Inbox: a + "/inbox",
			SharedInbox: "https://m.example/inbox"}); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		op     string
		mutate func(p *models.Post)
		want   string // activity type queued, "" for none
	}{
		{"publish", func(*models.Post) {}, "Create"},
		{"edit", func(p *models.Post) { p.Title = "Hello again" }, "Update"},
		{"trash", func(p *models.Post) { p.Status = models.StatusTrash }, "Delete"},
		{"still trashed", func(*models.Post) {}, ""},
		{"restore", func(p *models.Post) { p.Status = models.StatusPublished }, "Create"},
		{"do not federate", func(p *models.Post) { p.NoFederate = true }, "Delete"},
		{"federate again", func(p *models.Post) { p.NoFederate = false }, "Create"},
		{"delete for good", nil, "Delete"},
	}
	post := *f.post
	for _, st := range steps {
		op := postsOp(st.mutate == nil)
		if st.mutate != nil {
			st.mutate(&post)
		}
		f.svc.OnPostChange(ctx, change(op, post))
		got, err := f.store.ClaimDeliveries(ctx, 10, time.Minute, 0)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case st.want == "" && len(got) != 0:
			t.Fatalf("%s: queued %d deliveries, want none", st.op, len(got))
		case st.want != "" && (len(got) != 1 || got[0].ActivityType != st.want || got[0].Inbox != "https://m.example/inbox"):
			t.Fatalf("%s: queued %+v, want one %s to the shared inbox", st.op, got, st.want)
		}
		for i := range got {
			if _, err := f.store.FinishDelivery(ctx, &got[i], models.NotificationResult{State: models.NotifySent, Ran: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestDeletedAccountStopsFollowing: a Delete of the actor itself removes
// it from every followers list.
func TestDeletedAccountStopsFollowing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, local := range []string{models.BlogActor, models.UserActor("writer")} {
		if _, err := f.store.AddFollower(ctx, &models.Follower{LocalActor: local, ActorID: f.actor.ID, Inbox: f.actor.Inbox}); err != nil {
			t.Fatal(err)
		}
	}
	in, err := activitypub.DecodeIncoming([]byte(`{"type":"Delete","actor":"` + f.actor.ID + `","object":"` + f.actor.ID + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	site, _ := f.svc.Site(ctx)
	if err := f.svc.dispatch(ctx, site, f.actor, in); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.store.Followers(ctx, "", true, 10); len(list) != 0 {
		t.Fatalf("a deleted account still follows: %+v", list)
	}
}
