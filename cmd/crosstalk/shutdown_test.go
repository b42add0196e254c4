package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// stuckSite answers nothing until released: its pages hold the blog's
// endpoint discovery until the blog hangs up, its TrackBack URL holds a
// ping on its way until release is closed. (Were the pages released too,
// one answered in the moment between the blog's shutdown log line and its
// discovery being cancelled would be a real "no endpoint", not a discovery
// cut short, and the test would race.)
type stuckSite struct {
	*httptest.Server
	mu      sync.Mutex
	gets    int
	posts   int
	arrived chan struct{} // closed once want requests have come
	want    int
	release chan struct{}
}

func newStuckSite(t *testing.T, want int) *stuckSite {
	s := &stuckSite{arrived: make(chan struct{}), want: want, release: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if r.Method == http.MethodPost {
			s.posts++
		} else {
			s.gets++
		}
		if s.gets+s.posts == s.want {
			close(s.arrived)
		}
		s.mu.Unlock()
		if r.Method != http.MethodPost {
			<-r.Context().Done() // a page: held until the blog gives up on it
			return
		}
		select {
		case <-s.release:
		case <-r.Context().Done():
			return
		}
		trackback.WriteSuccess(w)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestShutdownGivesBackLeases: SIGTERM while the blog holds notifications
// (pages whose endpoint it is still looking for, and a ping on its way):
// the ping is finished and recorded as sent, the others are queued again
// at once, and after the exit no notification is left with a live lease
// for another instance to wait out.
func TestShutdownGivesBackLeases(t *testing.T) {
	skipUnlessLinux(t)
	const pages = 5
	site := newStuckSite(t, pages+1)
	db := filepath.Join(t.TempDir(), "blog.db")
	if code, _, errOut := runCmd(t, "a long password\n", env(nil), "user", "add", "--name", "ann", "--email", "ann@example.com",
		"--password-stdin", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	blog := startChild(t, "--db", db, "--allow-private-network", "--outbox-per-host", "10")
	body := ""
	for i := range pages {
		body += fmt.Sprintf(`<p><a href="%s/page/%d">page %d</a></p>`, site.URL, i, i)
	}
	ctx := context.Background()
	if _, err := xmlrpc.Call(ctx, http.DefaultClient, blog.url+"/xmlrpc", "metaWeblog.newPost", "1", "ann", "a long password",
		map[string]any{"title": "Held", "description": body, "mt_tb_ping_urls": []any{site.URL + "/tb"}}, true); err != nil {
		t.Fatalf("newPost: %v", err)
	}
	select {
	case <-site.arrived:
	case <-time.After(time.Minute):
		t.Fatal("the outbox did not take the notifications")
	}
	if err := blog.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if blog.log.match(regexp.MustCompile(`shutting down`), 30*time.Second) == nil {
		t.Fatalf("no shutdown logged:\n%s", blog.log.String())
	}
	close(site.release) // the ping on its way gets its answer now
	exited := make(chan error, 1)
	go func() { exited <- blog.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, blog.log.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("the blog did not stop")
	}

	store, err := models.OpenSQLite(ctx, db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ns, err := store.PostNotifications(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	states := map[models.NotificationState]int{}
	now := time.Now()
	for _, n := range ns {
		states[n.State]++
		if n.LockedUntil != nil && n.LockedUntil.After(now) {
			t.Errorf("%s: %s with a lease until %s", n.TargetURL, n.State, n.LockedUntil)
		}
		if n.State == models.NotifyQueued && n.Attempts != 0 {
			t.Errorf("%s: %d attempts counted for a discovery cut short", n.TargetURL, n.Attempts)
		}
	}
	if len(ns) != pages+1 || states[models.NotifyQueued] != pages || states[models.NotifySent] != 1 {
		t.Errorf("after SIGTERM: %d notifications, states %v; want %d queued and the ping on its way sent", len(ns), states, pages)
	}
}
