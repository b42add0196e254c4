package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// storedCounts is what an inbox POST may leave behind.
func storedCounts(t *testing.T, e *testEnv) (followers, feedback, deliveries int64) {
	t.Helper()
	ctx := context.Background()
	var err error
	if followers, err = e.store.CountFollowers(ctx, models.BlogActor); err != nil {
		t.Fatal(err)
	}
	counts, err := e.store.QueueCounts(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range counts {
		feedback += int64(n)
	}
	at, ok, err := e.store.NextDeliveryDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ok && !at.IsZero() {
		deliveries = 1
	}
	return followers, feedback, deliveries
}

// TestInboxAuthentication: every inbox POST must be signed by its actor's
// key, over the body it carries, within the Date window; anything else is
// refused (401, or 400 for a signed body that is no activity) and leaves
// nothing stored.
func TestInboxAuthentication(t *testing.T) {
	f := newFediEnv(t)
	p := f.peer
	follow := func() map[string]any {
		return map[string]any{"@context": activitypub.ASContext, "id": p.actorID("alice") + "/follows/1", "type": "Follow",
			"actor": p.actorID("alice"), "object": testBaseURL + "/ap/blog"}
	}
	otherPEM, _, err := activitypub.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := activitypub.ParsePrivateKey(otherPEM)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		activity any
		mutate   func(r *http.Request, body *[]byte)
		want     int
	}{
		{"unsigned", follow(), func(r *http.Request, _ *[]byte) { r.Header.Del("Signature") }, http.StatusUnauthorized},
		{"forged: signed by another key", follow(), func(r *http.Request, body *[]byte) {
			s := activitypub.Signer{KeyID: p.signer.KeyID, Key: other}
			_ = s.Sign(r, *body, f.clock.Now())
		}, http.StatusUnauthorized},
		{"tampered body", follow(), func(_ *http.Request, body *[]byte) {
			*body = []byte(strings.Replace(string(*body), "follows/1", "follows/2", 1))
		}, http.StatusUnauthorized},
		{"stale date", follow(), func(r *http.Request, body *[]byte) {
			_ = p.signer.Sign(r, *body, f.clock.Now().Add(-2*time.Hour))
		}, http.StatusUnauthorized},
		{"unknown key", map[string]any{"type": "Follow", "actor": p.actorID("nobody"), "object": testBaseURL + "/ap/blog"}, nil, http.StatusUnauthorized},
		{"actor whose inbox is on another site", map[string]any{"type": "Follow", "actor": p.actorID("mallory"), "object": testBaseURL + "/ap/blog"},
			nil, http.StatusUnauthorized},
		{"actor is not the signer", map[string]any{"type": "Follow", "actor": "https://elsewhere.example/users/x", "object": testBaseURL + "/ap/blog"},
			func(r *http.Request, body *[]byte) { _ = p.signer.Sign(r, *body, f.clock.Now()) }, http.StatusUnauthorized},
		{"malformed JSON", follow(), func(r *http.Request, body *[]byte) {
			*body = []byte(`{"type":"Follow",`)
			_ = p.signer.Sign(r, *body, f.clock.Now())
		}, http.StatusBadRequest},
		{"not an activity", follow(), func(r *http.Request, body *[]byte) {
			*body = []byte(`["Follow"]`)
			_ = p.signer.Sign(r, *body, f.clock.Now())
		}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.post("/ap/inbox", tt.activity, tt.mutate)
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %s", res.status, tt.want, res.body)
			}
			if fl, fb, d := storedCounts(t, f.testEnv); fl+fb+d != 0 {
				t.Fatalf("stored after a refused POST: %d followers, %d feedback, %d deliveries", fl, fb, d)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		if res := p.post("/ap/blog/inbox", follow(), nil); res.status != http.StatusAccepted {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		if fl, _, d := storedCounts(t, f.testEnv); fl != 1 || d != 1 {
			t.Fatalf("a valid Follow left %d followers, %d deliveries; want 1 and 1", fl, d)
		}
	})
}

// TestInboxLimits: bodies over the cap are refused before they are read
// whole, a blocked server is refused, and federation off closes every
// fediverse address.
func TestInboxLimits(t *testing.T) {
	f := newFediEnv(t)
	big := map[string]any{"type": "Create", "actor": f.peer.actorID("alice"), "pad": strings.Repeat("x", activitypub.MaxInboxBody)}
	if res := f.peer.post("/ap/inbox", big, nil); res.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", res.status)
	}
	ctx := context.Background()
	if err := f.store.SetSettings(ctx, map[string]string{models.SettingBlockList: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Second) // past the settings cache
	follow := map[string]any{"type": "Follow", "actor": f.peer.actorID("alice"), "object": testBaseURL + "/ap/blog"}
	if res := f.peer.post("/ap/inbox", follow, nil); res.status != http.StatusForbidden {
		t.Fatalf("blocked server: %d %s", res.status, res.body)
	}
	if err := f.store.SetSettings(ctx, map[string]string{models.SettingBlockList: "", models.SettingFederation: "false"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Second)
	for _, path := range []string{"/ap/blog", "/.well-known/webfinger?resource=acct:blog@blog.test", "/nodeinfo/2.1"} {
		if res := f.get(f.client(), path); res.status != http.StatusNotFound {
			t.Errorf("GET %s with federation off: %d", path, res.status)
		}
	}
	if res := f.peer.post("/ap/inbox", follow, nil); res.status != http.StatusNotFound {
		t.Fatalf("inbox with federation off: %d", res.status)
	}
}

// TestInboxRateLimitPerActor: one remote actor gets a minute's worth of
// POSTs, then 429 with Retry-After.
func TestInboxRateLimitPerActor(t *testing.T) {
	f := newFediEnv(t)
	like := map[string]any{"type": "Like", "actor": f.peer.actorID("alice"), "object": testBaseURL + "/2026/11/none"}
	for i := range DefaultInboxLimits().PerActorPerMinute {
		if res := f.peer.post("/ap/inbox", like, nil); res.status != http.StatusAccepted {
			t.Fatalf("POST %d: %d %s", i+1, res.status, res.body)
		}
	}
	res := f.peer.post("/ap/inbox", like, nil)
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("past the limit: %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
}

// TestInboxForgedRequestsSpendOnlyTheirSender: requests with a forged
// signature in a real actor's name use up their sender's address
// allowance only; the actor's own (charged once a signature verifies)
// stays whole for its real server.
func TestInboxForgedRequestsSpendOnlyTheirSender(t *testing.T) {
	f := newFediEnvWith(t, InboxLimits{PerSourcePerMinute: 5, PerActorPerMinute: 3}, []string{"127.0.0.1", "::1"})
	p := f.peer
	otherPEM, _, err := activitypub.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := activitypub.ParsePrivateKey(otherPEM)
	if err != nil {
		t.Fatal(err)
	}
	like := map[string]any{"type": "Like", "actor": p.actorID("alice"), "object": testBaseURL + "/2026/11/none"}
	from := func(addr string, forge bool) func(r *http.Request, body *[]byte) {
		return func(r *http.Request, body *[]byte) {
			r.Header.Set("X-Forwarded-For", addr)
			if forge {
				_ = activitypub.Signer{KeyID: p.signer.KeyID, Key: other}.Sign(r, *body, f.clock.Now())
			}
		}
	}
	for i := range 5 {
		if res := p.post("/ap/inbox", like, from("203.0.113.9", true)); res.status != http.StatusUnauthorized {
			t.Fatalf("forged POST %d: %d %s", i+1, res.status, res.body)
		}
	}
	if res := p.post("/ap/inbox", like, from("203.0.113.9", true)); res.status != http.StatusTooManyRequests ||
		res.header.Get("Retry-After") == "" {
		t.Fatalf("forger past its address's allowance: %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	for i := range 3 {
		if res := p.post("/ap/inbox", like, from("198.51.100.7", false)); res.status != http.StatusAccepted {
			t.Fatalf("the real actor's POST %d after the forgeries: %d %s", i+1, res.status, res.body)
		}
	}
	if res := p.post("/ap/inbox", like, from("198.51.100.7", false)); res.status != http.StatusTooManyRequests {
		t.Fatalf("the real actor past its own allowance: %d", res.status)
	}
}
