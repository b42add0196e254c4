package jobs

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback"
)

// Verifier checks in the background that each received linkback's source
// really links to the post. The feedback row is the durable job: a restart
// simply finds the unverified rows again.
type Verifier struct {
	Store   VerifyStore
	Client  *http.Client // the safe outbound client
	BaseURL string       // to build permalinks
	Log     *slog.Logger
	// Interval between looks for work; Workers bounds concurrent fetches.
	Interval time.Duration
	Workers  int
	// Retry paces the checks of unreachable sources; zero means VerifyBackoff.
	Retry Backoff
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Checked, if set, hears each check's outcome (metrics): the state
	// recorded (models.VerificationVerified or VerificationFailed), or
	// "retry" when the source will be fetched again later. It must not block.
	Checked func(kind models.FeedbackKind, outcome string)
	// Changed, if set, hears of each verification that changed what the
	// post with that id shows (an item approved, or an approved one
	// updated or withdrawn): the page cache drops that post's page.
	Changed func(postID int64)
}

// VerifyStore is what the background verifier needs (models.Store has it).
type VerifyStore interface {
	// LinkbacksToVerify lists up to n linkbacks still unverified and due now.
	LinkbacksToVerify(ctx context.Context, n int) ([]models.LinkbackToVerify, error)
	// FinishVerification records the outcome; approve also approves a pending item.
	FinishVerification(ctx context.Context, id int64, state, note string, approve bool) error
	// RetryVerification tries again after a delay.
	RetryVerification(ctx context.Context, id int64, after time.Time) error
	// ReleaseVerification gives back the claim on a check cut short.
	ReleaseVerification(ctx context.Context, id int64) error
	models.ApprovedSites
	Settings(ctx context.Context) (map[string]string, error)
	// RecordSource stores a verified source's title and excerpt.
	RecordSource(ctx context.Context, id int64, title, excerpt string) error
	EntryRecorder
}

var _ VerifyStore = (*models.Store)(nil)

// Run verifies due linkbacks every Interval until ctx ends.
func (v *Verifier) Run(ctx context.Context) {
	every(ctx, max(v.Interval, 100*time.Millisecond), func(ctx context.Context) { v.RunOnce(ctx) })
}

// RunOnce verifies one batch of due linkbacks and returns how many it handled.
func (v *Verifier) RunOnce(ctx context.Context) int {
	due, err := v.Store.LinkbacksToVerify(ctx, 20)
	if err != nil {
		if ctx.Err() == nil {
			v.Log.Error("list linkbacks to verify", "err", err)
		}
		return 0
	}
	raw, err := v.Store.Settings(ctx)
	if err != nil {
		v.Log.Error("read settings", "err", err)
		return 0
	}
	site := models.SiteFromSettings(raw)
	sem := make(chan struct{}, max(v.Workers, 1))
	var wg sync.WaitGroup
	for _, item := range due {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			v.verify(ctx, site, item)
		})
	}
	wg.Wait()
	return len(due)
}

func (v *Verifier) verify(ctx context.Context, site models.Site, item models.LinkbackToVerify) {
	permalink := v.BaseURL + item.Post.Path()
	if item.TargetURL != "" { // a Webmention names its target: that is the link to look for
		permalink = item.TargetURL
	}
	var page trackback.SourcePage
	var err error
	if item.Kind == models.FeedbackWebmention {
		page, err = trackback.MentionEntry(ctx, v.Client, item.SourceURL, permalink)
	} else {
		err = trackback.Verify(ctx, v.Client, item.SourceURL, permalink)
	}
	if ctx.Err() != nil { // shutting down: the row stays unverified, its claim given back
		if err := v.Store.ReleaseVerification(context.WithoutCancel(ctx), item.ID); err != nil {
			v.Log.Error("release verification", "id", item.ID, "err", err)
		}
		return
	}
	log := v.Log.With("feedback_id", item.ID, "source", item.SourceURL)
	var retryIn time.Duration // zero: no more attempts
	if wait, again := v.retry().next(item.VerifyAttempts + 1); again {
		retryIn = wait
	}
	switch {
	case item.Kind == models.FeedbackWebmention && (errors.Is(err, trackback.ErrNoLinkBack) || gone(err)):
		// The W3C spec: a source that is gone (410), or a page that no longer
		// links, withdraws the mention: it is refused, so it no longer shows.
		v.finish(ctx, log, item, models.VerificationFailed, withdrawn(err), false)
	case err == nil:
		if item.Kind == models.FeedbackWebmention {
			v.recordMention(ctx, log, item.ID, page)
		}
		approve, aerr := v.autoApprove(ctx, site, item)
		if aerr != nil {
			log.Error("auto-approve check", "err", aerr)
		}
		v.finish(ctx, log, item, models.VerificationVerified, "", approve)
	case retryable(err) && retryIn > 0: // 404, 5xx, timeouts, DNS failures
		after := v.now().Add(retryIn)
		if rerr := v.Store.RetryVerification(ctx, item.ID, after); rerr != nil {
			log.Error("schedule verification retry", "err", rerr)
		} else {
			v.checked(item.Kind, "retry")
		}
		log.Info("source not reachable; will retry", "err", err, "after", after)
	case item.Verification == models.VerificationRecheck:
		// Only a 410 or a page without the link withdraws a verified mention.
		log.Info("re-sent webmention's source not reachable; the mention stays as verified", "err", err)
		v.finish(ctx, log, item, models.VerificationVerified, "", false)
	case errors.Is(err, trackback.ErrNoLinkBack):
		v.finish(ctx, log, item, models.VerificationFailed, intake.ReasonNoLink, false)
	default:
		v.finish(ctx, log, item, models.VerificationFailed, intake.ReasonUnreachable, false)
	}
}

// withdrawn says why a source withdrew its mention.
func withdrawn(err error) string {
	if gone(err) {
		return intake.ReasonGone
	}
	return intake.ReasonNoLink
}

// autoApprove: a verified linkback goes live at once when the site does not
// hold everything for moderation, or when the same site was approved before.
func (v *Verifier) autoApprove(ctx context.Context, site models.Site, item models.LinkbackToVerify) (bool, error) {
	if item.Status != models.ModPending {
		return false, nil
	}
	return site.AutoApprove(ctx, v.Store, item.SourceURL)
}

func (v *Verifier) finish(ctx context.Context, log *slog.Logger, item models.LinkbackToVerify, state, note string, approve bool) {
	if err := v.Store.FinishVerification(ctx, item.ID, state, note, approve); err != nil {
		log.Error("record verification", "err", err)
		return
	}
	v.checked(item.Kind, state)
	log.Info("linkback verified", "state", state, "approved", approve)
	// An approved item is on the post page: its state, title, text or
	// author may have changed. One approved now appears there.
	if v.Changed != nil && (approve || item.Status == models.ModApproved) {
		v.Changed(item.PostID)
	}
}

func (v *Verifier) checked(kind models.FeedbackKind, outcome string) {
	if v.Checked != nil {
		v.Checked(kind, outcome)
	}
}

func (v *Verifier) retry() Backoff {
	if v.Retry == (Backoff{}) {
		return VerifyBackoff()
	}
	return v.Retry
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}
