// Package jobs runs Crosstalk's background work: publishing scheduled posts
// and delivering the durable outbox of linkback notifications. It lives
// beside handlers and models because it is neither HTTP nor storage: it uses
// the store's interfaces and the trackback protocols, and cmd starts and stops it.
package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// DuePublisher publishes the scheduled posts whose time has come: the post
// service (models/posts), whose change hooks then wake the outbox and drop
// cached pages.
type DuePublisher interface {
	PublishDue(ctx context.Context) ([]models.Post, error)
}

// Publisher publishes scheduled posts when their time comes.
type Publisher struct {
	Posts    DuePublisher
	Log      *slog.Logger
	Interval time.Duration
	// Published, if set, hears of each post that went live.
	Published func(ctx context.Context, p models.Post)
}

// Run checks for due posts every Interval until ctx ends.
func (p *Publisher) Run(ctx context.Context) {
	interval := p.Interval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	every(ctx, interval, p.RunOnce)
}

// every runs once now and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, run func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		run(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce publishes whatever is due now.
func (p *Publisher) RunOnce(ctx context.Context) {
	due, err := p.Posts.PublishDue(ctx)
	if err != nil {
		if ctx.Err() == nil {
			p.Log.Error("publish scheduled posts", "err", err)
		}
		return
	}
	for _, post := range due {
		p.Log.Info("scheduled post published", "post_id", post.ID, "title", post.Title)
		if p.Published != nil {
			p.Published(ctx, post)
		}
	}
}

// Purger deletes spam and trash after they have sat for Keep (30 days by default).
type Purger struct {
	Feedback models.FeedbackStore
	Log      *slog.Logger
	Keep     time.Duration
	Now      func() time.Time
	// Trash, if set, also empties the posts' trash (posts.Service).
	Trash interface {
		EmptyTrash(ctx context.Context) (int, error)
	}
}

// Run purges once an hour until ctx ends.
func (p *Purger) Run(ctx context.Context) { every(ctx, time.Hour, p.RunOnce) }

// RunOnce deletes what has been spam or trash for longer than Keep.
func (p *Purger) RunOnce(ctx context.Context) {
	keep, now := p.Keep, p.Now
	if keep <= 0 {
		keep = 30 * 24 * time.Hour
	}
	if now == nil {
		now = time.Now
	}
	n, err := p.Feedback.PurgeFeedback(ctx, now().Add(-keep))
	if err != nil {
		if ctx.Err() == nil {
			p.Log.Error("purge spam and trash", "err", err)
		}
		return
	}
	if n > 0 {
		p.Log.Info("purged old spam and trash", "count", n)
	}
	if p.Trash == nil {
		return
	}
	posts, err := p.Trash.EmptyTrash(ctx)
	if err != nil && ctx.Err() == nil {
		p.Log.Error("empty the posts' trash", "err", err)
	}
	if posts > 0 {
		p.Log.Info("emptied the posts' trash", "count", posts)
	}
}
