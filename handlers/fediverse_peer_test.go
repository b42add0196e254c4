package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/federation"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// fediEnv is the blog with federation on, its delivery worker (run by
// hand, RunOnce) and a fediverse peer with its own key pair.
type fediEnv struct {
	*testEnv
	deliveries *jobs.Deliveries
	peer       *testPeer
}

func newFediEnv(t *testing.T) *fediEnv { return newFediEnvWith(t, InboxLimits{}, nil) }

// newFediEnvWith builds it with inbox limits and trusted proxies (whose
// X-Forwarded-For names the sender's address).
func newFediEnvWith(t *testing.T, limits InboxLimits, proxies []string) *fediEnv {
	t.Helper()
	e := newEnv(t)
	e.proxies = proxies
	client := safeclient.New(safeclient.Options{AllowPrivateNetworks: true})
	e.extra = func(d *Deps) {
		d.Fediverse = e.store
		d.InboxLimits = limits
		d.FetchAvatar = func(ctx context.Context, u string) (*models.Avatar, error) { return jobs.FetchAvatar(ctx, client, u) }
	}
	e.srv.Config.Handler = e.engine(e.store, e.log)
	f := &fediEnv{testEnv: e, peer: newTestPeer(t, e)}
	f.deliveries = &jobs.Deliveries{Store: e.store, Signer: federation.Signer(e.store, testBaseURL), Client: client,
		Log: slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})), Now: e.clock.Now}
	return f
}

// deliver runs the delivery worker once over what is due.
func (f *fediEnv) deliver() int { return f.deliveries.RunOnce(context.Background()) }

// received is one activity that reached the peer's inboxes.
type received struct {
	inbox    string
	verified bool
	doc      map[string]any
}

// testPeer is a small fediverse server: actors with a key pair, an avatar,
// and inboxes that check the blog's signatures against the blog's
// published key. While down it answers 503; while busy (a number of
// seconds), 429 with that Retry-After.
type testPeer struct {
	t      *testing.T
	env    *testEnv
	srv    *httptest.Server
	signer activitypub.Signer
	pubPEM string
	down   atomic.Bool
	busy   atomic.Int64

	mu  sync.Mutex
	got []received
}

var (
	peerKeyOnce       sync.Once
	peerPriv, peerPub string
)

func newTestPeer(t *testing.T, e *testEnv) *testPeer {
	t.Helper()
	peerKeyOnce.Do(func() {
		var err error
		if peerPriv, peerPub, err = activitypub.NewKey(); err != nil {
			panic(err)
		}
	})
	key, err := activitypub.ParsePrivateKey(peerPriv)
	if err != nil {
		t.Fatal(err)
	}
	p := &testPeer{t: t, env: e, pubPEM: peerPub}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{name}", p.actor)
	mux.HandleFunc("GET /avatar.png", func(w http.ResponseWriter, _ *http.Request) {
		img := image.NewRGBA(image.Rect(0, 0, 2, 2))
		img.Set(0, 0, color.RGBA{R: 200, A: 255})
		w.Header().Set("Content-Type", "image/png")
		_ = png.Encode(w, img)
	})
	mux.HandleFunc("POST /inbox", p.inbox)
	mux.HandleFunc("POST /users/{name}/inbox", p.inbox)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	p.signer = activitypub.Signer{KeyID: p.actorID("alice") + "#main-key", Key: key}
	return p
}

func (p *testPeer) actorID(name string) string { return p.srv.URL + "/users/" + name }

// actor serves alice, bob (same server, same shared inbox) and a name
// with HTML in it; "nobody" is not found.
func (p *testPeer) actor(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if name == "nobody" {
		http.NotFound(w, r)
		return
	}
	id := p.actorID(name)
	display := map[string]string{"alice": "Alice <b>Fedi</b>", "bob": "Bob"}[name]
	a := activitypub.Actor{Context: activitypub.ASContext, ID: id, Type: "Person", PreferredUsername: name, Name: display,
		Inbox: id + "/inbox", URL: activitypub.Link(p.srv.URL + "/@" + name),
		Endpoints: &activitypub.Endpoints{SharedInbox: p.srv.URL + "/inbox"},
		Icon:      &activitypub.Image{Type: "Image", MediaType: "image/png", URL: activitypub.Link(p.srv.URL + "/avatar.png")},
		PublicKey: &activitypub.PublicKey{ID: id + "#main-key", Owner: id, PublicKeyPem: p.pubPEM}}
	if name == "mallory" { // points deliveries at another site
		a.Inbox = "https://victim.example/inbox"
	}
	w.Header().Set("Content-Type", activitypub.ContentType)
	_ = json.NewEncoder(w).Encode(a)
}

// inbox records a delivery, checking its signature with the blog's key
// (fetched from the blog under test: its ids are on testBaseURL).
func (p *testPeer) inbox(w http.ResponseWriter, r *http.Request) {
	if p.down.Load() {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	if secs := p.busy.Load(); secs > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	body, _ := io.ReadAll(r.Body)
	rec := received{inbox: r.URL.Path}
	if sr, err := activitypub.ParseRequest(r, body, p.env.clock.Now()); err == nil {
		if key := p.blogKey(sr.KeyID); key != "" {
			if pub, err := activitypub.ParsePublicKey(key); err == nil {
				rec.verified = sr.Verify(pub) == nil
			}
		}
	}
	if err := json.Unmarshal(body, &rec.doc); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.got = append(p.got, rec)
	p.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// blogKey fetches the blog's public key named by keyID.
func (p *testPeer) blogKey(keyID string) string {
	path := strings.TrimPrefix(activitypub.KeyOwner(keyID), testBaseURL)
	res, err := http.Get(p.env.srv.URL + path)
	if err != nil {
		return ""
	}
	defer res.Body.Close()
	var a activitypub.Actor
	if json.NewDecoder(res.Body).Decode(&a) != nil || a.PublicKey == nil || a.PublicKey.ID != keyID {
		return ""
	}
	return a.PublicKey.PublicKeyPem
}

// received returns what reached the peer so far, and forgets it.
func (p *testPeer) take() []received {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.got
	p.got = nil
	return out
}

// post sends an activity to the blog's inbox at path, signed as actor
// (alice unless the activity says otherwise) with mutate applied to the
// signed request before it leaves.
func (p *testPeer) post(path string, activity any, mutate func(r *http.Request, body *[]byte)) response {
	p.t.Helper()
	body, err := json.Marshal(activity)
	if err != nil {
		p.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, p.env.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", activitypub.ContentType)
	signer := p.signer
	if m, ok := activity.(map[string]any); ok {
		if actor, ok := m["actor"].(string); ok && actor != p.actorID("alice") && strings.HasPrefix(actor, p.srv.URL) {
			signer.KeyID = actor + "#main-key"
		}
	}
	if err := signer.Sign(req, body, p.env.clock.Now()); err != nil {
		p.t.Fatal(err)
	}
	if mutate != nil {
		mutate(req, &body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	return p.env.send(http.DefaultClient, req)
}
