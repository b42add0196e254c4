package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// TestFediverseWiring: the binary serves the blog's actor and answers a
// signed Follow with an Accept that its own delivery worker sends, woken
// at once, to the follower's inbox; /metrics counts it.
func TestFediverseWiring(t *testing.T) {
	priv, pub, err := activitypub.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	key, _ := activitypub.ParsePrivateKey(priv)
	inbox := make(chan string, 4)
	peer := httptest.NewServer(nil)
	defer peer.Close()
	actorID := peer.URL + "/users/p"
	peer.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, _ := io.ReadAll(r.Body)
			inbox <- string(body)
			w.WriteHeader(http.StatusAccepted)
			return
		}
		_ = json.NewEncoder(w).Encode(activitypub.Actor{ID: actorID, Type: "Person", PreferredUsername: "p", Inbox: actorID + "/inbox",
			PublicKey: &activitypub.PublicKey{ID: actorID + "#main-key", Owner: actorID, PublicKeyPem: pub}})
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config{Addr: ln.Addr().String(), DB: filepath.Join(t.TempDir(), "fedi.db"), BaseURL: "http://" + ln.Addr().String(),
		AllowPrivateNetwork: true, MetricsAddr: metricsLn.Addr().String(), OutboxPerHost: 2, OutboxLease: jobs.DefaultLease}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := newApp(ctx, cfg, newLogger(&lockedBuffer{}, false))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, metricsLn) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}()

	req, _ := http.NewRequest(http.MethodGet, cfg.BaseURL+"/ap/blog", nil)
	req.Header.Set("Accept", activitypub.ContentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("actor: %v %v", err, res)
	}
	res.Body.Close()

	body, _ := json.Marshal(map[string]string{"id": actorID + "/follows/1", "type": "Follow", "actor": actorID, "object": cfg.BaseURL + "/ap/blog"})
	req, _ = http.NewRequest(http.MethodPost, cfg.BaseURL+"/ap/blog/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", activitypub.ContentType)
	if err := (activitypub.Signer{KeyID: actorID + "#main-key", Key: key}).Sign(req, body, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err = http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("follow: %v %v", err, res)
	}
	res.Body.Close()
	select {
	case got := <-inbox:
		if !strings.Contains(got, `"type":"Accept"`) {
			t.Fatalf("peer received %s", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no Accept delivered")
	}
	// The outcome is recorded just after the peer answered.
	wants := []string{`crosstalk_fediverse_deliveries_total{outcome="sent",type="Accept"} 1`, `crosstalk_fediverse_deliveries{state="queued"} 0`}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, body := call(t, "http://"+metricsLn.Addr().String()+"/metrics", nil)
		if strings.Contains(body, wants[0]) && strings.Contains(body, wants[1]) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics lacks %q:\n%s", wants, body)
		}
	}
}
