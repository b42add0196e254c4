package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// clock is the tests' settable clock.
type clock = storetest.Clock

const base = "https://blog.example"

// fixture opens a real SQLite store with one published post.
func fixture(t *testing.T) (*models.Store, *models.Post, *clock) {
	t.Helper()
	clk := storetest.NewClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	store, err := models.Open(context.Background(), storetest.Target(t), models.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	u := &models.User{Name: "a", Email: "a@example.com", PasswordHash: "x"}
	if err := store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	now := clk.Now()
	p := &models.Post{Kind: models.KindPost, AuthorID: u.ID, Title: "Target", Slug: "target", Status: models.StatusPublished,
		PublishedAt: &now, AllowPings: true}
	if err := store.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	return store, p, clk
}

func addPing(t *testing.T, store *models.Store, postID int64, source string) int64 {
	t.Helper()
	f := &models.Feedback{PostID: postID, Kind: models.FeedbackTrackBack, Status: models.ModPending, SourceURL: source,
		Title: "t", Verification: models.VerificationPending}
	if _, err := store.AddFeedback(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return f.ID
}

func feedback(t *testing.T, store *models.Store, id int64) models.QueueItem {
	t.Helper()
	for _, st := range models.ModerationStatuses {
		items, err := store.Queue(context.Background(), models.QueueFilter{Status: st, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.ID == id {
				return it
			}
		}
	}
	t.Fatalf("feedback %d not found", id)
	return models.QueueItem{}
}

func TestVerifier(t *testing.T) {
	store, post, clk := fixture(t)
	permalink := base + post.Path()
	var flaky atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/honest", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<p>I wrote about <a href="%s">this post</a>.</p>`, permalink)
	})
	mux.HandleFunc("/honest-again", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<a href="%s/">again</a>`, permalink)
	})
	mux.HandleFunc("/spam", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `<p>cheap pills</p>`) })
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if flaky.Add(1) < 3 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, `<a href="%s">ok now</a>`, permalink)
	})
	src := httptest.NewServer(mux)
	defer src.Close()

	v := &Verifier{Store: store, Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}), BaseURL: base,
		Log: slog.New(slog.DiscardHandler), Workers: 4, Now: clk.Now}
	ctx := context.Background()
	honest := addPing(t, store, post.ID, src.URL+"/honest")
	spam := addPing(t, store, post.ID, src.URL+"/spam")
	flakyID := addPing(t, store, post.ID, src.URL+"/flaky")
	if n := v.RunOnce(ctx); n != 3 {
		t.Fatalf("first run handled %d", n)
	}
	if got := feedback(t, store, honest); got.Verification != models.VerificationVerified || got.Status != models.ModPending {
		t.Errorf("honest ping: %s/%s (verified, still held: the site moderates everything)", got.Verification, got.Status)
	}
	if got := feedback(t, store, spam); !strings.HasPrefix(got.Verification, models.VerificationFailed) || got.Status != models.ModPending {
		t.Errorf("spam ping: %s/%s", got.Verification, got.Status)
	}
	if got := feedback(t, store, flakyID); got.Verification != models.VerificationPending {
		t.Errorf("unreachable source must stay unverified for a retry: %s", got.Verification)
	}
	if n := v.RunOnce(ctx); n != 0 {
		t.Errorf("a retry ran before its time: %d", n)
	}
	clk.Advance(time.Minute + time.Second)
	v.RunOnce(ctx) // second failure
	clk.Advance(2*time.Minute + time.Second)
	v.RunOnce(ctx)
	if got := feedback(t, store, flakyID); got.Verification != models.VerificationVerified {
		t.Errorf("flaky source after retries: %s", got.Verification)
	}

	// Approving the honest site once lets its next verified ping through.
	if err := store.SetFeedbackStatus(ctx, models.ModApproved, honest); err != nil {
		t.Fatal(err)
	}
	again := addPing(t, store, post.ID, src.URL+"/honest-again")
	v.RunOnce(ctx)
	if got := feedback(t, store, again); got.Status != models.ModApproved {
		t.Errorf("verified ping from a site approved before: %s", got.Status)
	}
}

func TestVerifierAutoApprovesWhenModerationIsOff(t *testing.T) {
	store, post, clk := fixture(t)
	site := models.DefaultSite()
	site.ModerateAll = false
	if err := store.SetSettings(context.Background(), site.Settings()); err != nil {
		t.Fatal(err)
	}
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/links" {
			fmt.Fprintf(w, `<a href="%s">x</a>`, base+post.Path())
		}
	}))
	defer src.Close()
	v := &Verifier{Store: store, Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}), BaseURL: base,
		Log: slog.New(slog.DiscardHandler), Now: clk.Now}
	good := addPing(t, store, post.ID, src.URL+"/links")
	bad := addPing(t, store, post.ID, src.URL+"/nothing")
	v.RunOnce(context.Background())
	if got := feedback(t, store, good); got.Status != models.ModApproved {
		t.Errorf("verified ping with moderation off: %s", got.Status)
	}
	if got := feedback(t, store, bad); got.Status != models.ModPending {
		t.Errorf("an unverified ping must never auto-approve: %s", got.Status)
	}
}

func TestVerifierRefusesPrivateSourcesByDefault(t *testing.T) {
	store, post, clk := fixture(t)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the verifier reached a loopback server with private networks off")
	}))
	defer src.Close()
	v := &Verifier{Store: store, Client: safeclient.New(safeclient.Options{}), BaseURL: base, Log: slog.New(slog.DiscardHandler), Now: clk.Now}
	id := addPing(t, store, post.ID, src.URL+"/x")
	v.RunOnce(context.Background())
	if got := feedback(t, store, id); !strings.HasPrefix(got.Verification, models.VerificationFailed) {
		t.Errorf("loopback source: %q", got.Verification)
	}
}
