package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// delivery is one claimed notification with what its ping says.
type delivery struct {
	n models.Notification
	// public is false when the post is no longer published: nothing is sent.
	public bool
	// ping is the TrackBack; its URL is the permalink, the source of
	// Pingbacks and Webmentions.
	ping trackback.Ping
	// retry is set when the post could not be read: queued again, not held.
	retry bool
}

// claim leases up to n due notifications and loads their posts, once each.
func (o *Outbox) claim(ctx context.Context, n int) []delivery {
	claimed, err := o.Store.ClaimNotifications(ctx, n, o.lease(), o.PerHost)
	if err != nil {
		if ctx.Err() == nil {
			o.Log.Error("outbox: claim notifications", "err", err)
		}
		return nil
	}
	if len(claimed) == 0 {
		return nil
	}
	// Claimed rows must be settled even if ctx ends now: read with a context
	// that outlives it, so a cancelled read cannot pass for a missing post.
	ctx = context.WithoutCancel(ctx)
	blogName := models.DefaultSite().Title
	if settings, err := o.Settings.Settings(ctx); err == nil {
		blogName = models.SiteFromSettings(settings).Title
	}
	type postPing struct {
		public, retry bool
		ping          trackback.Ping
	}
	posts := map[int64]postPing{}
	out := make([]delivery, len(claimed))
	for i, c := range claimed {
		pp, ok := posts[c.PostID]
		if !ok {
			p, err := o.Posts.PostByID(ctx, c.PostID)
			switch {
			case err == nil:
				pp = postPing{public: p.Kind == models.KindPost && p.Status == models.StatusPublished, ping: o.pingFor(p, blogName)}
			case !errors.Is(err, models.ErrNotFound):
				o.Log.Error("outbox: load post", "post_id", c.PostID, "err", err)
				pp.retry = true // the database hiccuped: not a reason to hold the ping
			}
			posts[c.PostID] = pp
		}
		out[i] = delivery{n: c, public: pp.public, ping: pp.ping, retry: pp.retry}
	}
	return out
}

// pingFor is the TrackBack a post sends: its title, permalink, excerpt (the
// writer's, else the text cut to 252 characters and "...") and the blog's name.
func (o *Outbox) pingFor(p *models.Post, blogName string) trackback.Ping {
	excerpt := p.Excerpt
	if strings.TrimSpace(excerpt) == "" {
		excerpt = p.BodyHTML
	}
	return trackback.Ping{Title: p.Title, URL: o.BaseURL + p.Path(), Excerpt: trackback.Excerpt(excerpt), BlogName: blogName}
}

// deliver discovers the endpoint of one notification if needed, sends it
// and records the outcome. Discovery stops with ctx; a ping once started is
// finished, and every outcome is recorded even while stopping.
func (o *Outbox) deliver(ctx context.Context, d delivery) {
	keep := context.WithoutCancel(ctx)
	n := d.n
	if d.retry {
		o.finish(keep, &n, models.NotificationResult{State: models.NotifyQueued, RetryIn: time.Minute})
		return
	}
	if !d.public {
		o.finish(keep, &n, models.NotificationResult{State: models.NotifyHeld})
		return
	}
	if n.Protocol == "" {
		if n.Direct {
			n.Protocol, n.Endpoint = string(trackback.ProtocolTrackBack), n.TargetURL
		} else {
			ep, err := trackback.Discover(ctx, o.Client, n.TargetURL)
			switch {
			case ctx.Err() != nil: // stopping: the next run takes it again
				o.finish(keep, &n, models.NotificationResult{State: models.NotifyQueued})
				return
			case errors.Is(err, trackback.ErrNoEndpoint):
				o.finish(keep, &n, models.NotificationResult{State: models.NotifyNoEndpoint, Ran: true, Message: describe(err)})
				return
			case err != nil:
				o.fail(keep, &n, err)
				return
			}
			n.Protocol, n.Endpoint = string(ep.Protocol), ep.URL
		}
	}
	if ctx.Err() != nil { // stopping before the ping left: give it back
		o.finish(keep, &n, models.NotificationResult{State: models.NotifyQueued})
		return
	}
	if ok, err := o.Store.StartSending(keep, &n); !ok {
		if errors.Is(err, models.ErrConflict) {
			o.finish(keep, &n, models.NotificationResult{State: models.NotifySent,
				Message: "Another link of this post has the same TrackBack URL: it was pinged once."})
			return
		}
		if err != nil {
			o.Log.Error("outbox: start sending", "id", n.ID, "err", err)
		}
		return // another worker holds it now
	}
	sendCtx, cancel := context.WithTimeout(keep, sendTimeout)
	msg, err := o.send(sendCtx, n, d.ping)
	cancel()
	if err != nil {
		o.fail(keep, &n, err)
		return
	}
	o.finish(keep, &n, models.NotificationResult{State: models.NotifySent, Message: msg, Ran: true})
}

// send delivers n by its protocol. msg is a remark worth showing on success.
func (o *Outbox) send(ctx context.Context, n models.Notification, ping trackback.Ping) (msg string, err error) {
	switch trackback.Protocol(n.Protocol) {
	case trackback.ProtocolTrackBack:
		return "", trackback.Send(ctx, o.Client, n.Endpoint, ping)
	case trackback.ProtocolWebmention:
		return "", trackback.SendWebmention(ctx, o.Client, n.Endpoint, ping.URL, n.TargetURL)
	case trackback.ProtocolPingback:
		_, err := xmlrpc.Call(ctx, o.Client, n.Endpoint, "pingback.ping", ping.URL, n.TargetURL)
		var fault *xmlrpc.Fault
		if errors.As(err, &fault) && fault.Code == pingbackAlreadyRegistered {
			return "Already registered.", nil
		}
		return "", err
	}
	return "", fmt.Errorf("unknown protocol %q", n.Protocol)
}

// pingbackAlreadyRegistered is the Pingback fault for a ping the target
// has: the notification has arrived.
const pingbackAlreadyRegistered = 48

// fail records a failed attempt: retried later when worth it, until Retry
// gives up.
func (o *Outbox) fail(ctx context.Context, n *models.Notification, err error) {
	msg := describe(err)
	ran := n.Attempts + 1 // this one included
	o.Log.Info("linkback attempt failed", "id", n.ID, "target", n.TargetURL, "attempts", ran, "err", err)
	o.finish(ctx, n, o.Retry.failure(ran, msg, retryable(err)))
}

// failure is the outcome of a failed attempt, the attempts-th: failed for
// good when not worth retrying, queued again after the backoff, or given up
// once the backoff is spent.
func (b Backoff) failure(attempts int, msg string, worthRetrying bool) models.NotificationResult {
	switch wait, again := b.next(attempts); {
	case !worthRetrying:
		return models.NotificationResult{State: models.NotifyFailed, Message: msg, Ran: true}
	case again:
		return models.NotificationResult{State: models.NotifyQueued, Message: willRetry(msg), RetryIn: wait, Ran: true}
	default:
		return models.NotificationResult{State: models.NotifyGaveUp, Message: msg, Ran: true}
	}
}

// finish records an outcome and logs the final ones.
func (o *Outbox) finish(ctx context.Context, n *models.Notification, r models.NotificationResult) {
	ok, err := o.Store.FinishNotification(ctx, n, r)
	if ok && o.Finished != nil {
		o.Finished(n.Protocol, r.State)
	}
	switch {
	case err != nil:
		o.Log.Error("outbox: record notification", "id", n.ID, "err", err)
	case !ok:
		o.Log.Warn("outbox: notification deleted or taken by another worker meanwhile", "id", n.ID)
	case r.State == models.NotifySent, r.State == models.NotifyFailed, r.State == models.NotifyGaveUp:
		o.Log.Info("linkback "+strings.ReplaceAll(string(r.State), "_", " "), "post_id", n.PostID,
			"target", n.TargetURL, "protocol", n.Protocol, "attempts", n.Attempts, "message", r.Message)
	}
}
