package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

func TestVerifierWebmentions(t *testing.T) {
	store, post, clk := fixture(t)
	permalink := base + post.Path()
	var linksNow atomic.Bool
	linksNow.Store(true)
	mux := http.NewServeMux()
	mux.HandleFunc("/mention", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<title>My reply</title><p>Replying to <a href="%s">that</a>.</p>`, permalink)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/nolink", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `<p>nothing</p>`) })
	mux.HandleFunc("/edited", func(w http.ResponseWriter, r *http.Request) {
		if linksNow.Load() {
			fmt.Fprintf(w, `<a href="%s">x</a>`, permalink)
			return
		}
		fmt.Fprint(w, `<p>link removed</p>`)
	})
	src := httptest.NewServer(mux)
	defer src.Close()
	v := &Verifier{Store: store, Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}), BaseURL: base,
		Log: slog.New(slog.DiscardHandler), Now: clk.Now}
	ctx := context.Background()
	mention := func(path string) int64 {
		t.Helper()
		f := &models.Feedback{PostID: post.ID, Status: models.ModPending, SourceURL: src.URL + path}
		if _, err := store.SaveWebmention(ctx, f); err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	gone := func(id int64) bool {
		t.Helper()
		_, err := store.FeedbackByID(ctx, id)
		return err != nil
	}
	ok, goneID, nolink, edited := mention("/mention"), mention("/gone"), mention("/nolink"), mention("/edited")
	// A trackback whose source does not link is only marked failed, never deleted.
	tb := addPing(t, store, post.ID, src.URL+"/nolink")
	v.RunOnce(ctx)
	if got := feedback(t, store, ok); got.Verification != models.VerificationVerified || got.Title != "My reply" || got.Content != "Replying to that." {
		t.Errorf("verified mention: %q %q %q", got.Verification, got.Title, got.Content)
	}
	for name, id := range map[string]int64{"410": goneID, "no link": nolink} {
		if !gone(id) {
			t.Errorf("%s: the mention was not deleted", name)
		}
	}
	if gone(tb) {
		t.Error("a trackback was deleted")
	}
	if gone(edited) || feedback(t, store, edited).Verification != models.VerificationVerified {
		t.Fatal("edited source: first check")
	}

	// The source drops its link and sends the mention again: it is checked anew and deleted.
	linksNow.Store(false)
	if created, err := store.SaveWebmention(ctx, &models.Feedback{PostID: post.ID, SourceURL: src.URL + "/edited", Status: models.ModPending}); err != nil || created {
		t.Fatalf("re-send: created=%v err=%v", created, err)
	}
	if got := feedback(t, store, edited); got.Verification != models.VerificationPending {
		t.Fatalf("re-sent mention not reset: %q", got.Verification)
	}
	v.RunOnce(ctx)
	if !gone(edited) {
		t.Error("a re-sent mention whose source no longer links was kept")
	}
}
