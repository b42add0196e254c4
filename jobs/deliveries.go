package jobs

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// DeliveryStore is the outbox of ActivityPub deliveries (models.Store).
type DeliveryStore interface {
	ClaimDeliveries(ctx context.Context, limit int, lease time.Duration, perHost int) ([]models.APDelivery, error)
	FinishDelivery(ctx context.Context, d *models.APDelivery, r models.NotificationResult) (ok bool, err error)
	NextDeliveryDue(ctx context.Context) (at time.Time, ok bool, err error)
}

// Deliveries sends the signed activities federation queues (Accept,
// Reject, Create, Update, Delete) to remote inboxes, with the outbox's
// leases, backoff and at-least-once delivery: each is signed anew at every
// attempt (the Date moves on), so a retry after a peer's outage verifies.
type Deliveries struct {
	Store DeliveryStore
	// Signer gives a local actor's key (federation.Service.Signer).
	Signer func(ctx context.Context, local string) (activitypub.Signer, error)
	// Client is the safe client.
	Client *http.Client
	Log    *slog.Logger
	// Workers, Poll and Lease default to 8, DefaultPoll and DefaultLease.
	Workers int
	Poll    time.Duration
	Lease   time.Duration
	// Retry is the backoff policy; the zero value is DeliveryBackoff. A
	// 429 or 503 answer's Retry-After is waited out if longer (at most
	// maxRetryAfter).
	Retry Backoff
	// PerHost caps the deliveries in flight to one inbox host, across
	// every process sharing the database; 0 means models.DefaultPerHost.
	PerHost int
	// Finished, if set, hears each recorded outcome: the activity's type
	// and the state the delivery is left in (metrics). It must not block.
	Finished func(activityType string, state models.NotificationState)
	Now      func() time.Time

	wakeOnce sync.Once
	wake     chan struct{}
}

// Wake tells the worker deliveries were queued. It never blocks.
func (d *Deliveries) Wake() {
	d.wakeOnce.Do(func() { d.wake = make(chan struct{}, 1) })
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run sends deliveries until ctx ends, a batch at a time; a batch under
// way is finished (each send is bounded by sendTimeout).
func (d *Deliveries) Run(ctx context.Context) {
	d.wakeOnce.Do(func() { d.wake = make(chan struct{}, 1) })
	for ctx.Err() == nil {
		if d.RunOnce(ctx) > 0 {
			continue
		}
		timer := time.NewTimer(d.idle(ctx))
		select {
		case <-ctx.Done():
		case <-d.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// RunOnce claims the due deliveries (up to Workers), sends them at once
// and returns how many it settled.
func (d *Deliveries) RunOnce(ctx context.Context) int {
	workers := d.Workers
	if workers <= 0 {
		workers = 8
	}
	lease := d.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	batch, err := d.Store.ClaimDeliveries(ctx, workers, lease, d.PerHost)
	if err != nil {
		if ctx.Err() == nil {
			d.Log.Error("fediverse deliveries: claim", "err", err)
		}
		return 0
	}
	var wg sync.WaitGroup
	for i := range batch {
		wg.Go(func() { d.send(context.WithoutCancel(ctx), &batch[i]) })
	}
	wg.Wait()
	return len(batch)
}

func (d *Deliveries) idle(ctx context.Context) time.Duration {
	wait := d.Poll
	if wait <= 0 {
		wait = DefaultPoll
	}
	if at, ok, err := d.Store.NextDeliveryDue(ctx); err == nil && ok {
		wait = min(wait, time.Until(at))
	}
	return max(wait, 10*time.Millisecond)
}

func (d *Deliveries) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// send signs and posts one delivery and records the outcome.
func (d *Deliveries) send(ctx context.Context, del *models.APDelivery) {
	signer, err := d.Signer(ctx, del.LocalActor)
	if err != nil {
		d.finish(ctx, del, models.NotificationResult{State: models.NotifyQueued, RetryIn: time.Minute, Message: "The blog's key could not be read: retrying."})
		return
	}
	sendCtx, cancel := context.WithTimeout(ctx, sendTimeout)
	err = activitypub.Post(sendCtx, d.Client, del.Inbox, []byte(del.Body), signer, d.now())
	cancel()
	if err == nil {
		d.finish(ctx, del, models.NotificationResult{State: models.NotifySent, Ran: true})
		return
	}
	d.Log.Info("fediverse delivery failed", "id", del.ID, "inbox", del.Inbox, "type", del.ActivityType, "attempts", del.Attempts+1, "err", err)
	d.finish(ctx, del, d.failure(del.Attempts+1, err))
}

// maxRetryAfter bounds how long a server's Retry-After may hold a delivery.
const maxRetryAfter = 24 * time.Hour

// failure is the outcome of the attempts-th failed attempt: the backoff's,
// waiting longer if the server asked to (Retry-After).
func (d *Deliveries) failure(attempts int, err error) models.NotificationResult {
	retry := d.Retry
	if retry == (Backoff{}) {
		retry = DeliveryBackoff()
	}
	r := retry.failure(attempts, describe(err), deliveryRetryable(err))
	var status *trackback.HTTPError
	if r.State == models.NotifyQueued && errors.As(err, &status) {
		r.RetryIn = max(r.RetryIn, min(status.RetryAfter, maxRetryAfter))
	}
	return r
}

// deliveryRetryable follows Mastodon: a 4xx answer is final except 401
// (a key not yet fetched), 408 and 429; the rest as for notifications.
func deliveryRetryable(err error) bool {
	var status *trackback.HTTPError
	if errors.As(err, &status) && status.StatusCode >= 400 && status.StatusCode < 500 {
		c := status.StatusCode
		return c == http.StatusUnauthorized || c == http.StatusRequestTimeout || c == http.StatusTooManyRequests
	}
	return retryable(err)
}

func (d *Deliveries) finish(ctx context.Context, del *models.APDelivery, r models.NotificationResult) {
	ok, err := d.Store.FinishDelivery(ctx, del, r)
	if ok && d.Finished != nil {
		d.Finished(del.ActivityType, r.State)
	}
	switch {
	case err != nil:
		d.Log.Error("fediverse deliveries: record outcome", "id", del.ID, "err", err)
	case !ok:
		d.Log.Warn("fediverse deliveries: taken by another worker meanwhile", "id", del.ID)
	}
}

// FetchAvatar fetches an author's picture through client, checked as
// uploads are (the verifier's fetch, for federation's repliers).
func FetchAvatar(ctx context.Context, client *http.Client, photo string) (*models.Avatar, error) {
	return fetchAvatar(ctx, client, photo)
}
