package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// newTwoInstances serves two engines on one database, as two processes
// behind a load balancer would be, taking requests in turn: they share the
// database's rate limits and a change bus (PostgreSQL's NOTIFY in
// production) and nothing else.
func newTwoInstances(t *testing.T, limits PingLimits) *testEnv {
	e := newEnvWith(t, models.Options{}, limits)
	e.rateLimits = e.store.RateLimits()
	e.changes = &LocalChanges{}
	a, b := e.engine(e.store, e.log), e.engine(e.store, e.log)
	var n atomic.Int64
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 0 {
			a.ServeHTTP(w, r)
		} else {
			b.ServeHTTP(w, r)
		}
	})
	return e
}

func TestPingLimitsSharedByInstances(t *testing.T) {
	tests := []struct {
		name   string
		limits PingLimits
		path   func(i int) string
	}{
		{"per address", PingLimits{PerIPPerMinute: 5, PerPostPerMinute: 1000}, func(i int) string { return fmt.Sprintf("/trackback/%d", 1+i%2) }},
		{"per post", PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 4}, func(int) string { return pingURL }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTwoInstances(t, tt.limits)
			c, _ := e.admin()
			e.publish(c, "One", "x", nil)
			e.publish(c, "Two", "x", nil)
			statuses := map[int]int{}
			for i := range 20 {
				res := e.raw("POST", tt.path(i), formCT, encodeForm(t, nil, "url", fmt.Sprintf("https://s%d.example/", i)))
				statuses[res.status]++
			}
			want := min(tt.limits.PerIPPerMinute, tt.limits.PerPostPerMinute)
			if statuses[http.StatusOK] != want || statuses[http.StatusTooManyRequests] != 20-want {
				t.Errorf("20 pings over two instances: %v, want %d accepted", statuses, want)
			}
		})
	}
}

func TestCommentLimitsSharedByInstances(t *testing.T) {
	e := newTwoInstances(t, PingLimits{})
	c, _ := e.admin()
	e.publish(c, "Talked about", "text", nil)
	reader := e.client()
	statuses := map[int]int{}
	for i := range 20 {
		res := e.do(reader, "POST", "/comments/1", url.Values{"name": {"Ann"}, "content": {fmt.Sprintf("Comment %d", i)}})
		statuses[res.status]++
	}
	burst := models.DefaultCommentLimits().Burst
	if stored := storedComments(t, e); stored != burst || statuses[http.StatusTooManyRequests] != 20-burst {
		t.Errorf("20 comments over two instances stored %d (answers %v), want %d", stored, statuses, burst)
	}
}

// TestCommentRefusedByPostChargesNoAddress: on the shared buckets as in
// memory, a comment the post's limit refuses does not spend the reader's.
func TestCommentRefusedByPostChargesNoAddress(t *testing.T) {
	e := newTwoInstances(t, PingLimits{})
	c, _ := e.admin()
	e.publish(c, "Hot", "text", nil)
	e.publish(c, "Cold", "text", nil)
	if set := e.saveCommentLimits(c, "60", "2", "1"); set.status != http.StatusSeeOther {
		t.Fatalf("settings: %d", set.status)
	}
	reader := e.client()
	form := url.Values{"name": {"Ann"}, "content": {"hello"}}
	for _, step := range []struct {
		path string
		want int
	}{
		{"/comments/1", http.StatusSeeOther},        // the address has 1 left, the post none
		{"/comments/1", http.StatusTooManyRequests}, // refused by the post: the address keeps its 1
		{"/comments/2", http.StatusSeeOther},        // spends it
		{"/comments/2", http.StatusTooManyRequests},
	} {
		if res := e.do(reader, "POST", step.path, form); res.status != step.want {
			t.Fatalf("%s: %d, want %d", step.path, res.status, step.want)
		}
	}
	if n := storedComments(t, e); n != 2 {
		t.Fatalf("stored %d comments, want 2", n)
	}
}

// TestChangesReachEveryInstance: what one instance saves, the other shows
// at once, though it cached the old value (its clock never moves here).
func TestChangesReachEveryInstance(t *testing.T) {
	e := newTwoInstances(t, PingLimits{})
	c, _ := e.admin()
	e.publish(c, "First", "text", nil)
	for range 2 { // both instances cache the settings
		if res := e.get(e.client(), "/"); res.status != http.StatusOK {
			t.Fatalf("home: %d", res.status)
		}
	}
	set := e.post(c, "/admin/settings", "/admin/settings", url.Values{"title": {"Renamed Blog"}, "posts_per_page": {"10"}})
	if set.status != http.StatusSeeOther {
		t.Fatalf("settings: %d", set.status)
	}
	for range 2 {
		mustContain(t, e.get(e.client(), "/").body, "Renamed Blog")
	}
}
