//go:build postgres

package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// multiPassword is the blog owner's password in the multi-instance test.
const multiPassword = "a long password"

// TestInstancesShareOnePostgres runs two real "crosstalk serve" processes
// on one fresh PostgreSQL schema, as behind a load balancer: what one
// publishes the other shows at once; a password guesser spread over both
// gets the tries one instance gives; a scheduled post goes live and
// notifies once; and when one is killed (SIGKILL) with pings in flight to
// slow sites, the other sends the rest after the lease, each target once
// apart from the few in flight.
func TestInstancesShareOnePostgres(t *testing.T) {
	skipUnlessLinux(t)
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Fatal("the postgres build tag needs " + storetest.EnvPostgres + " set to a PostgreSQL URL")
	}
	const (
		hosts   = 4
		perHost = 2
		targets = 120
	)
	db := storetest.Target(t)
	if code, _, errOut := runCmd(t, multiPassword+"\n", env(nil), "user", "add", "--name", "ann", "--email", "ann@example.com",
		"--password-stdin", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	// bob's account is the one the guesser tries.
	if code, _, errOut := runCmd(t, "bob's long password\n", env(nil), "user", "add", "--name", "bob", "--email", "bob@example.com",
		"--password-stdin", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	args := []string{"--db", db, "--base-url", "http://blog.example", "--allow-private-network",
		"--outbox-lease", "35s", "--outbox-per-host", strconv.Itoa(perHost)}
	a, b := startChild(t, args...), startChild(t, args...)
	ctx := context.Background()
	store, err := models.Open(ctx, db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()

	t.Run("publish on one, read on the other", func(t *testing.T) {
		get(t, b, "/feed") // b may cache its feed and home page now
		get(t, b, "/")
		id := newPost(t, a, map[string]any{"title": "Written on A", "description": "Hello from A."})
		link := getString(t, a, "metaWeblog.getPost", id, "link")
		mustGet(t, b, strings.TrimPrefix(link, "http://blog.example"), "Written on A")
		// Lists b served before are dropped when a's note arrives (NOTIFY).
		for _, path := range []string{"/feed", "/"} {
			waitFor(t, 2*time.Second, "b's "+path+" shows a's post", func() bool {
				return strings.Contains(get(t, b, path), "Written on A")
			})
		}
		mustGet(t, b, "/", `href="/2026/`) // b has cached its month archive now
		// An old post adds a month to the archive: b drops its cached list
		// when a's note arrives (NOTIFY), well before the list's own minute.
		newPost(t, a, map[string]any{"title": "From the archive", "description": "Old.",
			"dateCreated": time.Date(2025, 3, 9, 10, 0, 0, 0, time.UTC)})
		waitFor(t, 2*time.Second, "b's month archive shows March 2025", func() bool {
			return strings.Contains(get(t, b, "/"), `href="/2025/03"`)
		})
	})

	t.Run("a guesser spread over both", func(t *testing.T) {
		wrong, start := 0, time.Now()
		for i := range 20 {
			c := []*child{a, b}[i%2]
			_, err := xmlrpc.Call(ctx, http.DefaultClient, c.url+"/xmlrpc", "mt.getCategoryList", "1", "bob", fmt.Sprintf("guess %d", i))
			var f *xmlrpc.Fault
			if !errors.As(err, &f) {
				t.Fatalf("guess %d: %v", i, err)
			}
			if f.Code == 429 {
				break
			}
			if f.Code != 403 {
				t.Fatalf("guess %d: fault %d %q", i, f.Code, f.Message)
			}
			wrong++
		}
		// One instance lets an account have a burst of 5 tries, then one
		// every 12 s (loginguard.DefaultLimits); two together, no more. (Two
		// that did not share would give 10 at once.)
		limits := loginguard.DefaultLimits().PerAccount
		allowed := limits.Burst + int(time.Since(start)/limits.Every)
		if wrong < limits.Burst || wrong > allowed {
			t.Errorf("the guesser had %d tries over two instances in %s, want %d to %d", wrong, time.Since(start), limits.Burst, allowed)
		}
	})

	t.Run("a scheduled post notifies once", func(t *testing.T) {
		peers, servers := newSlowPeers(t, 1, 0)
		target := servers[0].URL + "/tb/scheduled"
		id := newPost(t, a, map[string]any{"title": "Later", "description": "Scheduled.", "post_status": "future",
			"dateCreated": time.Now().UTC().Add(2 * time.Second), "mt_tb_ping_urls": []any{target}})
		postID, _ := strconv.ParseInt(id, 10, 64)
		// Both publishers (every 5 s) race for it: one notification row, sent once.
		waitAllSent(t, store, postID, 1, 30*time.Second)
		if got := peers.snapshot()[target]; got != 1 {
			t.Errorf("the scheduled post pinged %d times, want 1", got)
		}
		mustGet(t, b, "/feed", "Later")
	})

	t.Run("one killed, the other finishes its pings", func(t *testing.T) {
		peers, servers := newSlowPeers(t, hosts, 200*time.Millisecond)
		var urls []any
		for i := range targets {
			urls = append(urls, fmt.Sprintf("%s/tb/%d", servers[i%hosts].URL, i))
		}
		id := newPost(t, a, map[string]any{"title": "Many pings", "description": "A post that pings many sites.",
			"mt_tb_ping_urls": urls})
		atKill := peers.killAfter(t, targets/4, a)
		postID, _ := strconv.ParseInt(id, 10, 64)
		waitAllSent(t, store, postID, targets, 100*time.Second)
		twice := peers.pingedTwice(t, urls)
		t.Logf("%d of %d targets pinged before the kill; %d pinged twice (in flight at the kill)", atKill, targets, twice)
		if twice > hosts*perHost {
			t.Errorf("%d targets pinged twice; at most %d were in flight on the killed instance", twice, hosts*perHost)
		}
	})
}

// newPost publishes (or schedules) a post over XML-RPC on c and returns its id.
func newPost(t *testing.T, c *child, post map[string]any) string {
	t.Helper()
	id, err := xmlrpc.Call(context.Background(), http.DefaultClient, c.url+"/xmlrpc", "metaWeblog.newPost",
		"1", "ann", multiPassword, post, true)
	if err != nil {
		t.Fatalf("newPost: %v", err)
	}
	return fmt.Sprint(id)
}

// getString calls method(id, user, password) on c and returns field of the answer.
func getString(t *testing.T, c *child, method, id, field string) string {
	t.Helper()
	v, err := xmlrpc.Call(context.Background(), http.DefaultClient, c.url+"/xmlrpc", method, id, "ann", multiPassword)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	st, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: %T", method, v)
	}
	return fmt.Sprint(st[field])
}

// get fetches path from c; any answer but 200 fails the test.
func get(t *testing.T, c *child, path string) string {
	t.Helper()
	return fetch(t, c.url, path)
}

func mustGet(t *testing.T, c *child, path, want string) {
	t.Helper()
	if body := get(t, c, path); !strings.Contains(body, want) {
		t.Fatalf("GET %s on the other instance: no %q", path, want)
	}
}

// waitFor polls cond until it holds, failing after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("after %s: not yet %s", timeout, what)
		}
	}
}
