package jobs

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// TestOutboxGivesBackHeldOnShutdown: notifications claimed when the outbox
// is told to stop, but not yet on their way (a "Send TrackBacks to" URL
// about to be pinged, a page whose endpoint is still to be found), go back
// to the queue at once, with no lease and no attempt counted, and nothing
// is sent; Finished hears each.
func TestOutboxGivesBackHeldOnShutdown(t *testing.T) {
	b := newBlog(t)
	direct := newRemote(t)
	direct.pingURL("/tb", accept)
	page := newRemote(t)
	page.entry("/entry", "/tb", accept)
	p := b.publish("Held", "", []string{direct.URL + "/tb"}, page.URL+"/entry")

	o := b.outbox(4)
	var mu sync.Mutex
	var heard []string
	o.Finished = func(protocol string, state models.NotificationState) {
		mu.Lock()
		heard = append(heard, protocol+" "+string(state))
		mu.Unlock()
	}
	held := o.claim(context.Background(), 10)
	if len(held) != 2 {
		t.Fatalf("claimed %d notifications, want 2", len(held))
	}
	stopping, stop := context.WithCancel(context.Background())
	stop()
	for _, d := range held {
		o.deliver(stopping, d)
	}

	ns, err := b.store.PostNotifications(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.State != models.NotifyQueued || n.LockedUntil != nil || n.Attempts != 0 {
			t.Errorf("%s: %s, lease %v, %d attempts; want queued, no lease, no attempt", n.TargetURL, n.State, n.LockedUntil, n.Attempts)
		}
	}
	if hits := direct.count("POST", "/tb") + page.count("POST", "/tb"); hits != 0 {
		t.Errorf("%d pings sent while stopping, want none", hits)
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(heard)
	if !slices.Equal(heard, []string{" queued", "trackback queued"}) { // the page's protocol is not known yet
		t.Errorf("Finished heard %q, want both queued", heard)
	}
}
