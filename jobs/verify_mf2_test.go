package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// gifBytes is a 1×1 GIF.
var gifBytes = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// TestVerifierRecordsTheHEntry: a peer on another port of 127.0.0.1 serves
// h-entry pages (a reply with an avatar, a like whose "avatar" is HTML, a
// page without microformats); the verifier stores author, content, date,
// response type and the avatar's bytes, and a placeholder where the picture
// is no image.
func TestVerifierRecordsTheHEntry(t *testing.T) {
	store, post, clk := fixture(t)
	permalink := base + post.Path()
	mux := http.NewServeMux()
	mux.HandleFunc("/reply", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>Re</title><article class="h-entry">
<div class="p-author h-card"><img class="u-photo" src="/alice.gif" alt=""><a class="p-name u-url" href="/">Alice</a></div>
<a class="u-in-reply-to" href="%s">in reply to</a>
<div class="e-content"><p>Nice post.</p><p>Really.</p></div>
<time class="dt-published" datetime="2026-11-29T10:00:00Z">yesterday</time></article>`, permalink)
	})
	mux.HandleFunc("/like", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<div class="h-entry"><a class="p-author h-card" href="/bob"><img src="/fake.png" alt="Bob"></a>
<a class="u-like-of" href="%s">liked</a></div>`, permalink)
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<title>Plain</title><p>See <a href="%s">this</a>.</p>`, permalink)
	})
	mux.HandleFunc("/alice.gif", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // the bytes decide, not the header
		_, _ = w.Write(gifBytes)
	})
	mux.HandleFunc("/fake.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		fmt.Fprint(w, `<html><script>alert(1)</script></html>`)
	})
	src := httptest.NewServer(mux)
	defer src.Close()
	ctx := context.Background()
	ids := map[string]int64{}
	for _, path := range []string{"/reply", "/like", "/plain"} {
		f := &models.Feedback{PostID: post.ID, Status: models.ModPending, SourceURL: src.URL + path, TargetURL: permalink}
		if _, err := store.SaveWebmention(ctx, f); err != nil {
			t.Fatal(err)
		}
		ids[path] = f.ID
	}
	client := safeclient.New(safeclient.Options{AllowPrivateNetworks: true})
	(&Verifier{Store: store, Client: client, BaseURL: base, Log: slog.New(slog.DiscardHandler), Now: clk.Now}).RunOnce(ctx)
	reply, like, plain := ids["/reply"], ids["/like"], ids["/plain"]

	got := feedback(t, store, reply)
	published := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	if got.Verification != models.VerificationVerified || got.ResponseType != models.ResponseReply ||
		got.AuthorName != "Alice" || got.AuthorURL != src.URL+"/" || got.AuthorPhoto != src.URL+"/alice.gif" ||
		got.Content != "Nice post.\n\nReally." || got.SourcePublishedAt == nil || !got.SourcePublishedAt.Equal(published) {
		t.Errorf("reply recorded as %+v", got.Feedback)
	}
	a, err := store.Avatar(ctx, reply)
	if err != nil || !bytes.Equal(a.Data, gifBytes) || a.Mime != "image/gif" || got.AvatarPath() == "" {
		t.Errorf("reply avatar: %+v, %v (path %q)", a, err, got.AvatarPath())
	}

	got = feedback(t, store, like)
	if got.ResponseType != models.ResponseLike || got.AuthorName != "Bob" || got.AuthorURL != src.URL+"/bob" ||
		got.AuthorPhoto != src.URL+"/fake.png" || got.AvatarPath() != "" {
		t.Errorf("like recorded as %+v", got.Feedback)
	}
	if _, err := store.Avatar(ctx, like); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("HTML stored as an avatar: %v", err)
	}

	got = feedback(t, store, plain)
	if got.ResponseType != models.ResponseMention || got.Title != "Plain" || got.AuthorName != "127.0.0.1" ||
		got.Content != "See this." || got.AvatarPath() != "" {
		t.Errorf("plain mention recorded as %+v", got.Feedback)
	}
}

func TestFetchAvatarRefusesLargeAndFailed(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/big.gif", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(gifBytes)
		_, _ = w.Write(make([]byte, models.MaxAvatarBytes))
	})
	mux.HandleFunc("/404.gif", http.NotFound)
	peer := httptest.NewServer(mux)
	defer peer.Close()
	client := safeclient.New(safeclient.Options{AllowPrivateNetworks: true})
	for _, path := range []string{"/big.gif", "/404.gif"} {
		if a, err := fetchAvatar(context.Background(), client, peer.URL+path); err == nil || a != nil {
			t.Errorf("%s: stored %+v", path, a)
		}
	}
	if a, err := fetchAvatar(context.Background(), client, "data:image/gif;base64,R0lGOD"); err == nil || a != nil {
		t.Errorf("a data: URL was fetched: %+v", a)
	}
}
