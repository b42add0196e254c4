package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// TestOutboxRestart stops the workers in the middle of the queue, starts
// new ones on the same database file (a restarted process), and checks
// every target got exactly one ping.
func TestOutboxRestart(t *testing.T) {
	const targets = 24
	b := newBlog(t)
	r := newRemote(t)
	var links []string
	for i := range targets {
		r.entry(fmt.Sprintf("/e/%d", i), fmt.Sprintf("/tb/%d", i), func(int) (int, string) {
			time.Sleep(20 * time.Millisecond) // a ping takes a while, so stopping finds some in flight
			return accept(0)
		})
		links = append(links, fmt.Sprintf("%s/e/%d", r.URL, i))
	}
	p := b.publish("Many links", "", nil, links...)

	pinged := func() int {
		n := 0
		for i := range targets {
			n += len(r.received(fmt.Sprintf("/tb/%d", i)))
		}
		return n
	}
	stop := run(b.outbox(3))
	for deadline := time.Now().Add(10 * time.Second); pinged() < 4; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no pings sent")
		}
	}
	stop() // in-flight pings are finished, nothing new is taken
	queued := 0
	ns, _ := b.store.PostNotifications(context.Background(), p.ID)
	for _, n := range ns {
		switch n.State {
		case models.NotifyQueued:
			queued++
		case models.NotifySent:
		default:
			t.Errorf("after stopping: %s is %s", n.TargetURL, n.State)
		}
	}
	if queued == 0 || queued == targets {
		t.Fatalf("stopped with %d of %d queued: not mid-queue", queued, targets)
	}
	if got := pinged(); got != targets-queued {
		t.Errorf("%d pings for %d sent notifications", got, targets-queued)
	}

	b.store.Close()
	b.open()
	stop = run(b.outbox(3))
	ns = b.waitSettled(p.ID, 20*time.Second)
	stop()
	for _, n := range ns {
		if n.State != models.NotifySent {
			t.Errorf("%s: %s %q", n.TargetURL, n.State, n.LastMessage)
		}
	}
	for i := range targets {
		if got := len(r.received(fmt.Sprintf("/tb/%d", i))); got != 1 {
			t.Errorf("target %d: %d pings, want exactly 1", i, got)
		}
	}
}

// TestOutboxAfterCrash leaves notifications as a killed process would: one
// claimed while discovering, one claimed while its TrackBack was on its
// way. Delivery is at least once: both are taken again once their leases
// run out, and each target gets its ping.
func TestOutboxAfterCrash(t *testing.T) {
	ctx := context.Background()
	b := newBlog(t)
	r := newRemote(t)
	r.entry("/a", "/tb/a", accept)
	r.entry("/b", "/tb/b", accept)
	p := b.publish("Crash", "", nil, r.URL+"/a", r.URL+"/b")

	claimed, err := b.store.ClaimNotifications(ctx, 2, 50*time.Millisecond, 0) // the process that dies
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim = %v, %v", claimed, err)
	}
	sending := &claimed[1]
	sending.Protocol, sending.Endpoint = "trackback", r.URL+"/tb/b"
	if ok, err := b.store.StartSending(ctx, sending); !ok || err != nil {
		t.Fatalf("start sending = %v, %v", ok, err)
	}

	o := b.outbox(2)
	stop := run(o)
	defer stop()
	ns := b.waitSettled(p.ID, 10*time.Second)
	if ns[0].State != models.NotifySent || len(r.received("/tb/a")) != 1 {
		t.Errorf("discovering when the process died: %s, %d pings", ns[0].State, len(r.received("/tb/a")))
	}
	if ns[1].State != models.NotifySent || len(r.received("/tb/b")) != 1 {
		t.Errorf("sending when the process died: %s %q, %d pings", ns[1].State, ns[1].LastMessage, len(r.received("/tb/b")))
	}
}

func TestBackoff(t *testing.T) {
	var b Backoff // the defaults
	var waits []time.Duration
	var total time.Duration
	for attempts := 1; ; attempts++ {
		wait, again := b.next(attempts)
		if !again {
			break
		}
		waits = append(waits, wait)
		total += wait
	}
	if waits[0] != time.Minute || waits[1] != 2*time.Minute || waits[len(waits)-1] != 4*time.Hour {
		t.Errorf("waits = %v", waits)
	}
	if total < 20*time.Hour || total > 24*time.Hour || len(waits) < 10 || len(waits) > 15 {
		t.Errorf("%d retries over %v: want about a dozen over about a day", len(waits), total)
	}
}

func TestRetryableAndDescribe(t *testing.T) {
	srv := newRemote(t)
	// The safe client with private networks refused, as in production.
	_, forbidden := trackback.Discover(context.Background(), safeclient.New(safeclient.Options{}), srv.URL+"/")
	tests := []struct {
		name      string
		err       error
		retryable bool
		want      string
	}{
		{"TrackBack error", &trackback.RemoteError{Message: "Spam"}, false, "The site refused: Spam."},
		{"refusal without a message", &trackback.RemoteError{}, false, "The site refused."},
		{"Pingback fault", &xmlrpc.Fault{Code: 17, Message: "The source does not link here."}, false, "The site refused: The source does not link here."},
		{"server error", &trackback.HTTPError{StatusCode: 503, Status: "503 Service Unavailable"}, true, "The site had an error (HTTP 503)."},
		{"gone", &trackback.HTTPError{StatusCode: 410, Status: "410 Gone"}, false, "The page is gone (HTTP 410)."},
		{"private address", forbidden, false, "Not sent: the address is on a private or reserved network."},
		{"timeout", fmt.Errorf("trackback: sending: %w", context.DeadlineExceeded), true, "The site did not answer."},
		{"bad URL", fmt.Errorf("trackback: ping URL: %w", trackback.ErrInvalidURL), false, "Not sent: this is not a usable http or https address."},
		{"other", errors.New("trackback: connection reset"), true, "The site's answer could not be understood."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryable(tt.err); got != tt.retryable {
				t.Errorf("retryable(%v) = %v", tt.err, got)
			}
			if got := describe(tt.err); got != tt.want {
				t.Errorf("describe(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

// TestOutboxGivesBackHeldOnShutdown: notifications claimed when the outbox
// is told to stop, but not yet on their way (a "Send TrackBacks to" URL
// about to be pinged, a page whose endpoint is still to be found), go back
// to the queue at once, with no lease and no attempt counted, and nothing
// is sent; Finished hears each.
func TestOutboxGivesBackHeldOnShutdown(t *testing.T) {
	page, direct, b := newRemote(t), newRemote(t), newBlog(t)
	page.entry("/entry", "/tb", accept)
	direct.pingURL("/tb", accept)
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
