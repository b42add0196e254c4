package jobs

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// Defaults of the Outbox.
const (
	// DefaultWorkers is how many notifications are delivered at once. Each
	// mostly waits on a remote site (one page fetch, one ping), so many can
	// run on a small machine: 200 links to sites that take 2 s a request
	// are through in about 20 s.
	DefaultWorkers = 48
	// DefaultPoll is the longest wait between two looks at the queue, for
	// work queued by another process; this one wakes the outbox itself.
	DefaultPoll = 15 * time.Second
	// DefaultLease is how long a claimed notification stays with a worker
	// before another may take it. It is far above the outbound client's
	// time limits, so only a crashed process loses its lease.
	DefaultLease = 2 * time.Minute
	// MinLease is the shortest lease allowed: longer than one ping may take
	// (sendTimeout), so a live worker never loses its lease.
	MinLease = sendTimeout + 5*time.Second
	// sendTimeout bounds one ping, which is not abandoned on shutdown.
	sendTimeout = 30 * time.Second
)

// Outbox delivers the linkback notifications that publishing queues in the
// store: for each, it discovers the linked page's endpoint (unless it is a
// "Send TrackBacks to" URL) and sends a TrackBack, Pingback or Webmention,
// with a bounded number of deliveries at once. Failures worth retrying are
// retried with exponential backoff (see Backoff). Everything it knows is in
// the store, so a restart continues where it stopped.
type Outbox struct {
	Store    models.NotificationStore
	Posts    models.PostStore
	Settings models.SettingStore
	// Client makes every fetch and ping: the application's safe client.
	Client *http.Client
	// BaseURL is the blog's public address, for permalinks.
	BaseURL string
	Log     *slog.Logger
	// Workers, Poll and Lease default to DefaultWorkers, DefaultPoll and DefaultLease.
	Workers int
	Poll    time.Duration
	Lease   time.Duration
	// Retry is the backoff policy; zero fields take the defaults.
	Retry Backoff
	// PerHost caps the notifications in flight to one host, across every
	// process sharing the database; 0 means models.DefaultPerHost.
	PerHost int
	// Finished, if set, hears each recorded outcome: the protocol ("" before
	// discovery) and the state the notification is left in (metrics). It
	// must not block.
	Finished func(protocol string, state models.NotificationState)

	wakeOnce sync.Once
	wake     chan struct{}
}

// Wake tells the outbox that notifications were queued, so it looks at once
// instead of at its next poll. It never blocks.
func (o *Outbox) Wake() {
	select {
	case o.wakeCh() <- struct{}{}:
	default: // a wake-up is already pending
	}
}

func (o *Outbox) wakeCh() chan struct{} {
	o.wakeOnce.Do(func() { o.wake = make(chan struct{}, 1) })
	return o.wake
}

// Run delivers notifications until ctx ends. It then takes no new work and
// returns once the deliveries in flight are settled: a ping on its way is
// finished; every notification it holds that is not being sent yet (a
// discovery cut short, or one about to be sent) is queued again at once,
// so another process need not wait for its lease to run out.
func (o *Outbox) Run(ctx context.Context) {
	workers := o.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	done := make(chan struct{}, workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	busy := 0
	for {
		if ctx.Err() != nil {
			return
		}
		if free := workers - busy; free > 0 {
			batch := o.claim(ctx, free)
			for _, d := range batch {
				busy++
				wg.Go(func() {
					defer func() { done <- struct{}{} }()
					o.deliver(ctx, d)
				})
			}
			if len(batch) < free {
				timer.Reset(o.idleWait(ctx))
			} // else more may be due: look again when a delivery ends
		}
		select {
		case <-ctx.Done():
		case <-done:
			busy--
		case <-o.wakeCh():
		case <-timer.C:
		}
	}
}

// idleWait is how long to sleep when nothing more is due now: until the
// next retry or lease end, at most Poll.
func (o *Outbox) idleWait(ctx context.Context) time.Duration {
	wait := o.Poll
	if wait <= 0 {
		wait = DefaultPoll
	}
	at, ok, err := o.Store.NextNotificationDue(ctx)
	if err != nil && ctx.Err() == nil {
		o.Log.Error("outbox: next notification due", "err", err)
	}
	if ok {
		wait = min(wait, time.Until(at))
	}
	return max(wait, 10*time.Millisecond) // never spin
}

func (o *Outbox) lease() time.Duration {
	if o.Lease <= 0 {
		return DefaultLease
	}
	return o.Lease
}
