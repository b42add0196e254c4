package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// slowPeers are TrackBack receivers on several ports of 127.0.0.1 that take
// a while to answer and count the pings each URL gets.
type slowPeers struct {
	mu       sync.Mutex
	pings    map[string]int
	received int
	reached  map[int]chan struct{} // closed when received reaches the key
}

func newSlowPeers(t *testing.T, hosts int, delay time.Duration) (*slowPeers, []*httptest.Server) {
	p := &slowPeers{pings: map[string]int{}, reached: map[int]chan struct{}{}}
	var servers []*httptest.Server
	for range hosts {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay) // a slow site, so pings are in flight when the blog dies
			p.record("http://" + r.Host + r.URL.Path)
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?><response><error>0</error></response>`)
		}))
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
	}
	return p, servers
}

func (p *slowPeers) record(url string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pings[url]++
	p.received++
	for n, ch := range p.reached {
		if p.received >= n {
			close(ch)
			delete(p.reached, n)
		}
	}
}

// await returns a channel closed once n pings have arrived.
func (p *slowPeers) await(n int) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch := make(chan struct{})
	if p.received >= n {
		close(ch)
	} else {
		p.reached[n] = ch
	}
	return ch
}

func (p *slowPeers) snapshot() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.pings))
	for k, v := range p.pings {
		out[k] = v
	}
	return out
}

// killAfter kills c with SIGKILL once n pings have arrived, and says how
// many targets had theirs then.
func (p *slowPeers) killAfter(t *testing.T, n int, c *child) int {
	t.Helper()
	select {
	case <-p.await(n):
	case <-time.After(time.Minute):
		t.Fatal("the pings did not start")
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
	return len(p.snapshot())
}

// pingedTwice counts the urls pinged twice; any pinged neither once nor
// twice fails the test.
func (p *slowPeers) pingedTwice(t *testing.T, urls []any) int {
	t.Helper()
	twice := 0
	got := p.snapshot()
	for _, u := range urls {
		switch n := got[u.(string)]; {
		case n == 2:
			twice++
		case n != 1:
			t.Errorf("%s: %d pings", u, n)
		}
	}
	return twice
}

// waitAllSent polls the blog's database until every notification of the
// post is sent.
func waitAllSent(t *testing.T, store *models.Store, postID int64, want int, timeout time.Duration) {
	t.Helper()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for {
		ns, err := store.PostNotifications(context.Background(), postID)
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, n := range ns {
			if n.State == models.NotifySent {
				sent++
			}
		}
		if len(ns) == want && sent == want {
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			for _, n := range ns {
				if n.State != models.NotifySent {
					t.Errorf("%s: %s %q", n.TargetURL, n.State, n.LastMessage)
				}
			}
			t.Fatalf("%d of %d notifications sent after %s", sent, want, timeout)
		}
	}
}

// TestOutboxSurvivesKill9: a post with hundreds of TrackBacks queued to
// slow sites; the blog is killed with SIGKILL mid-way and started again.
// Every target gets its ping; only the few in flight at the kill (at most
// the per-host cap on each host) may get a second one.
func TestOutboxSurvivesKill9(t *testing.T) {
	skipUnlessLinux(t)
	const (
		hosts   = 4
		perHost = 2
		targets = 200
		lease   = "35s"
	)
	peers, servers := newSlowPeers(t, hosts, 200*time.Millisecond)
	var urls []any
	for i := range targets {
		urls = append(urls, fmt.Sprintf("%s/tb/%d", servers[i%hosts].URL, i))
	}
	db := filepath.Join(t.TempDir(), "blog.db")
	if code, _, errOut := runCmd(t, "a long password\n", env(nil), "user", "add", "--name", "ann", "--email", "ann@example.com",
		"--password-stdin", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	args := []string{"--db", db, "--allow-private-network", "--outbox-lease", lease, "--outbox-per-host", fmt.Sprint(perHost)}
	first := startChild(t, args...)
	ctx := context.Background()
	if _, err := xmlrpc.Call(ctx, http.DefaultClient, first.url+"/xmlrpc", "metaWeblog.newPost", "1", "ann", "a long password",
		map[string]any{"title": "Many pings", "description": "A post that pings many sites.", "mt_tb_ping_urls": urls}, true); err != nil {
		t.Fatalf("newPost: %v", err)
	}
	atKill := peers.killAfter(t, targets/3, first)

	second := startChild(t, args...)
	store, err := models.OpenSQLite(ctx, db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	waitAllSent(t, store, 1, targets, 3*time.Minute)
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = second.cmd.Wait()

	twice := peers.pingedTwice(t, urls)
	t.Logf("%d of %d targets pinged before the kill; %d pinged twice (in flight at the kill)", atKill, targets, twice)
	if twice > hosts*perHost {
		t.Errorf("%d targets pinged twice; at most %d were in flight", twice, hosts*perHost)
	}
}
