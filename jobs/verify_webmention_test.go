package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// mentionSources serves source pages whose answer a test switches per path:
// "link" (a page linking to the permalink), "nolink", "410", "404", "500".
type mentionSources struct {
	modes sync.Map // path → mode
	srv   *httptest.Server
}

func newMentionSources(t *testing.T, permalink string) *mentionSources {
	m := &mentionSources{}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mode, _ := m.modes.Load(r.URL.Path)
		switch mode {
		case "link":
			fmt.Fprintf(w, `<title>My reply</title><p>Replying to <a href="%s#comments">that</a>.</p>`, permalink)
		case "nolink":
			fmt.Fprint(w, `<title>Edited</title><p>link removed</p>`)
		case "410":
			http.Error(w, "gone", http.StatusGone)
		case "404":
			http.NotFound(w, r)
		default:
			http.Error(w, "down", http.StatusInternalServerError)
		}
	}))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *mentionSources) set(path, mode string) string {
	m.modes.Store(path, mode)
	return m.srv.URL + path
}

func shown(t *testing.T, store *models.Store, postID, id int64) bool {
	t.Helper()
	items, err := store.ApprovedFeedback(context.Background(), postID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range items {
		if f.ID == id {
			return true
		}
	}
	return false
}

// TestVerifierWebmentions: what a first check of a mention's source does.
// Only a 410 or a page without the link refuses a mention (it stays stored,
// refused and hidden, so its status page can say why); 404, 5xx and network
// failures are tried again with the shared backoff.
func TestVerifierWebmentions(t *testing.T) {
	store, post, clk := fixture(t)
	permalink := base + post.Path()
	src := newMentionSources(t, permalink)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // connection refused from now on
	v := &Verifier{Store: store, Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}), BaseURL: base,
		Log: slog.New(slog.DiscardHandler), Now: clk.Now}
	ctx := context.Background()
	tests := []struct {
		name, source string
		want         string // the verification state after one check
		retried      bool
	}{
		{"links", src.set("/ok", "link"), models.VerificationVerified, false},
		{"410 Gone", src.set("/gone", "410"), models.VerificationFailed + ": " + intake.ReasonGone, false},
		{"no link", src.set("/nolink", "nolink"), models.VerificationFailed + ": " + intake.ReasonNoLink, false},
		{"404", src.set("/missing", "404"), models.VerificationPending, true},
		{"500", src.set("/down", "500"), models.VerificationPending, true},
		{"connection refused", closed.URL + "/x", models.VerificationPending, true},
		{"DNS failure", "http://no-such-host.invalid/x", models.VerificationPending, true},
	}
	ids := map[string]int64{}
	for _, tt := range tests {
		f := &models.Feedback{PostID: post.ID, Status: models.ModApproved, SourceURL: tt.source, TargetURL: permalink}
		if _, err := store.SaveWebmention(ctx, f); err != nil {
			t.Fatal(err)
		}
		ids[tt.name] = f.ID
	}
	tb := addPing(t, store, post.ID, src.set("/tb", "nolink"))
	v.RunOnce(ctx)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := feedback(t, store, ids[tt.name])
			if got.Verification != tt.want || (got.VerifyAfter != nil) != tt.retried || (got.VerifyAttempts == 1) != tt.retried {
				t.Errorf("verification %q, attempts %d, after %v; want %q, retried %v", got.Verification, got.VerifyAttempts, got.VerifyAfter, tt.want, tt.retried)
			}
			if show := tt.want == models.VerificationVerified; shown(t, store, post.ID, ids[tt.name]) != show {
				t.Errorf("shown under the post: want %v", show)
			}
		})
	}
	if got := feedback(t, store, ids["links"]); got.Title != "My reply" || got.Content != "Replying to that." {
		t.Errorf("verified mention: %q %q", got.Title, got.Content)
	}
	if got := feedback(t, store, tb); got.Verification != models.VerificationFailed+": "+intake.ReasonNoLink {
		t.Errorf("trackback: %q", got.Verification)
	}

	// A source that never answers is refused once the retries are used up.
	for range VerifyBackoff().Attempts {
		clk.Advance(2 * time.Hour)
		v.RunOnce(ctx)
	}
	if got := feedback(t, store, ids["500"]); got.Verification != models.VerificationFailed+": "+intake.ReasonUnreachable {
		t.Errorf("after the retries: %q (%d attempts)", got.Verification, got.VerifyAttempts)
	}
}

// TestVerifierRecheck: a re-sent mention that was verified and approved keeps
// showing, unchanged, while its source is fetched again, and after that
// unless the source is gone (410) or no longer links; a 404, a 5xx or a
// refused connection keeps it and tries again later.
func TestVerifierRecheck(t *testing.T) {
	store, post, clk := fixture(t)
	permalink := base + post.Path()
	src := newMentionSources(t, permalink)
	v := &Verifier{Store: store, Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}), BaseURL: base,
		Log: slog.New(slog.DiscardHandler), Now: clk.Now}
	ctx := context.Background()
	tests := []struct {
		mode    string
		want    string
		shown   bool
		retried bool
	}{
		{"link", models.VerificationVerified, true, false},
		{"404", models.VerificationRecheck, true, true},
		{"500", models.VerificationRecheck, true, true},
		{"410", models.VerificationFailed + ": " + intake.ReasonGone, false, false},
		{"nolink", models.VerificationFailed + ": " + intake.ReasonNoLink, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			source := src.set("/"+tt.mode, "link")
			f := &models.Feedback{PostID: post.ID, Status: models.ModApproved, SourceURL: source, TargetURL: permalink}
			if _, err := store.SaveWebmention(ctx, f); err != nil {
				t.Fatal(err)
			}
			v.RunOnce(ctx)
			first := feedback(t, store, f.ID)
			if first.Verification != models.VerificationVerified || !shown(t, store, post.ID, f.ID) {
				t.Fatalf("first check: %q", first.Verification)
			}
			src.set("/"+tt.mode, tt.mode)
			again := &models.Feedback{PostID: post.ID, Status: models.ModPending, SourceURL: source,
				TargetURL: permalink + "?utm=x", Title: "changed by the sender"}
			if created, err := store.SaveWebmention(ctx, again); err != nil || created || again.ID != f.ID {
				t.Fatalf("re-send: created %v, err %v, id %d", created, err, again.ID)
			}
			pending := feedback(t, store, f.ID)
			if pending.Verification != models.VerificationRecheck || pending.Status != models.ModApproved ||
				pending.TargetURL != permalink || pending.Title != first.Title || pending.StatusToken != first.StatusToken ||
				!shown(t, store, post.ID, f.ID) {
				t.Fatalf("while the re-check is pending: %+v", pending.Feedback)
			}
			v.RunOnce(ctx)
			got := feedback(t, store, f.ID)
			if got.Verification != tt.want || shown(t, store, post.ID, f.ID) != tt.shown || (got.VerifyAfter != nil) != tt.retried ||
				got.Status != models.ModApproved || got.Title != first.Title || got.Content != first.Content {
				t.Errorf("after the re-check: %+v; want %q, shown %v, retried %v", got.Feedback, tt.want, tt.shown, tt.retried)
			}
			if !tt.retried {
				return
			}
			// Out of retries, the source is still unreachable: the mention stays.
			for range VerifyBackoff().Attempts {
				clk.Advance(2 * time.Hour)
				v.RunOnce(ctx)
			}
			if got := feedback(t, store, f.ID); got.Verification != models.VerificationVerified || !shown(t, store, post.ID, f.ID) {
				t.Errorf("after the retries: %q", got.Verification)
			}
		})
	}
}
