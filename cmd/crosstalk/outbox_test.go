package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
)

// TestOutboxWiring runs the whole blog, publishes a post linking to a blog
// on the loopback network and checks the ping goes through the safe client:
// refused by default, sent with --allow-private-network, with a User-Agent
// naming the engine, its version and the site.
func TestOutboxWiring(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Method+" "+r.UserAgent())
		mu.Unlock()
		if r.Method == http.MethodGet {
			_, _ = io.WriteString(w, trackback.RDFBlock("http://"+r.Host+r.URL.Path, "E", "http://"+r.Host+"/tb"))
			return
		}
		trackback.WriteSuccess(w)
	}))
	defer remote.Close()

	for _, allow := range []bool{false, true} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		cfg := config{Addr: ln.Addr().String(), DB: filepath.Join(t.TempDir(), "blog.db"),
			BaseURL: "http://" + ln.Addr().String(), AllowPrivateNetwork: allow}
		ctx, cancel := context.WithCancel(context.Background())
		logs := &lockedBuffer{}
		a, err := newApp(ctx, cfg, newLogger(logs, false))
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- a.serve(ctx, ln, nil) }()

		u := &models.User{Name: "w", Email: "w@example.com", PasswordHash: "x"}
		if err := a.store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		p := &models.Post{Kind: models.KindPost, AuthorID: u.ID, Title: "Out", Slug: "out", Body: "b", Status: models.StatusPublished,
			BodyHTML: `<a href="` + remote.URL + `/entry">x</a>`, PublishedAt: &now}
		if err := a.store.CreatePost(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
		a.outbox.Wake()
		var n models.Notification
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			ns, err := a.store.PostNotifications(ctx, p.ID)
			if err != nil || len(ns) != 1 {
				t.Fatalf("notifications %v, %v", ns, err)
			}
			if n = ns[0]; !n.State.InFlight() {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("still %s", n.State)
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}

		mu.Lock()
		got := agents
		agents = nil
		mu.Unlock()
		if !allow {
			if n.State != models.NotifyFailed || n.LastMessage != "Not sent: the address is on a private or reserved network." || len(got) != 0 {
				t.Errorf("private network refused: %s %q, requests %q", n.State, n.LastMessage, got)
			}
			continue
		}
		ua := "Crosstalk/dev (+" + cfg.BaseURL + ")"
		if n.State != models.NotifySent || len(got) != 2 || got[0] != "GET "+ua || got[1] != "POST "+ua {
			t.Errorf("private network allowed: %s %q, requests %q", n.State, n.LastMessage, got)
		}
	}
}
