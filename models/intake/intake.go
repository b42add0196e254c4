// Package intake takes in linkbacks: TrackBack, Pingback and Webmention
// today, ActivityPub replies and imported linkbacks later. Protocol handlers
// decode their wire format into a Linkback, call Service.Receive and encode
// the Result or the error (see errors.go) as their protocol answers. The
// pipeline is the same for every kind: normalise source and target, resolve
// the target post, refuse self-sources, apply the block list and the rate
// limits, store (or refresh) the feedback, and leave it unverified for the
// background verifier, or, for a Pingback, verify it at once.
//
// The package knows neither gin nor the HTTP handlers: its dependencies are
// the narrow interfaces below, which models.Store and handlers' limiter
// satisfy.
package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/trackback/text"
)

// Posts finds the post a linkback targets.
type Posts interface {
	// PostHeadByID finds a post by id without its text (a TrackBack's
	// target: nothing here reads it).
	PostHeadByID(ctx context.Context, id int64) (*models.Post, error)
	PostBySlug(ctx context.Context, kind models.PostKind, slug string) (*models.Post, error)
	RedirectedPost(ctx context.Context, oldSlug string) (*models.Post, error)
}

// Feedback stores received linkbacks.
type Feedback interface {
	// AddFeedback stores f unless the same linkback is stored (created false).
	AddFeedback(ctx context.Context, f *models.Feedback) (created bool, err error)
	// SaveWebmention stores a Webmention or has the stored one checked again.
	SaveWebmention(ctx context.Context, f *models.Feedback) (created bool, err error)
	// WebmentionByToken finds a Webmention by its status page token.
	WebmentionByToken(ctx context.Context, token string) (*models.Feedback, error)
	HasLinkback(ctx context.Context, postID int64, kind models.FeedbackKind, source string) (bool, error)
	models.ApprovedSites
}

// Limiter is a rate limit per key: Allow takes a token for key, or says how
// long to wait for one. Keys are a client address (the limiter may group
// addresses, e.g. an IPv6 /64) or a post id.
type Limiter interface {
	Allow(ctx context.Context, key string) (ok bool, retryAfter time.Duration)
}

// Service is the one intake pipeline. Fields are set once, by the code that
// builds the HTTP handlers; PerIP, PerPost, Now and Log may be nil.
type Service struct {
	Posts    Posts
	Feedback Feedback
	// Site reads the current settings (switches, block list, self-pings…).
	Site func(ctx context.Context) (models.Site, error)
	// PerIP limits linkbacks from one address, PerPost to one post.
	PerIP, PerPost Limiter
	// Client fetches Pingback sources while the sender waits (the safe client).
	Client *http.Client
	// BaseURL is the blog's public address without a trailing slash.
	BaseURL string
	Now     func() time.Time
	Log     *slog.Logger
	// Observer, if set, hears the outcome of every linkback (metrics).
	Observer Observer
}

// Observer hears of each linkback received and how it ended: the outcome is
// one of a few fixed words (see Outcome), so it can label a metric. It is
// called on the request's goroutine and must not block.
type Observer interface {
	LinkbackReceived(kind models.FeedbackKind, outcome string)
}

// Linkback is one received linkback, whatever protocol carried it.
type Linkback struct {
	Kind models.FeedbackKind
	// Source is the linking page, as sent.
	Source string
	// Target is the URL the sender named (Pingback, Webmention); a
	// TrackBack names its post by PostID instead.
	Target string
	PostID int64
	// Post, if set, is the target already found by TrackBackPost (which
	// TrackBack calls before decoding the ping): it is not read again.
	Post *models.Post
	// Title, Excerpt and BlogName are what the sender says (TrackBack).
	Title, Excerpt, BlogName string
	// RemoteIP and UserAgent describe the sender.
	RemoteIP, UserAgent string
}

// Result is a linkback taken in.
type Result struct {
	// Feedback is the row as stored; a refreshed Webmention has the stored
	// one's id and status; a TrackBack stored before was not written again
	// (its id is zero).
	Feedback *models.Feedback
	Post     *models.Post
	// Created is false when a TrackBack was stored before (nothing changed)
	// or a Webmention refreshed the stored one.
	Created bool
}

// maxUserAgent bounds the stored User-Agent.
const maxUserAgent = 500

// Admit charges one request of a kind from a client address against the
// per-address limit. Handlers call it first, before decoding anything, so
// that every request is charged, well-formed or not; Receive does not
// charge the address again.
func (s *Service) Admit(ctx context.Context, kind models.FeedbackKind, remoteIP string) error {
	err := allow(ctx, s.PerIP, remoteIP, ScopeAddress)
	if err != nil {
		s.observe(kind, nil, err)
	}
	return err
}

func allow(ctx context.Context, l Limiter, key string, scope Scope) error {
	if l == nil {
		return nil
	}
	if ok, wait := l.Allow(ctx, key); !ok {
		return &RateLimitError{Scope: scope, RetryAfter: wait}
	}
	return nil
}

// Receive runs the pipeline for one linkback: the target post, the checks,
// and the stored row. Errors are the sentinels of this package (mapped by
// each protocol to its answer) or, for anything else, a store failure.
func (s *Service) Receive(ctx context.Context, lb Linkback) (*Result, error) {
	res, err := s.receive(ctx, lb)
	s.observe(lb.Kind, res, err)
	return res, err
}

func (s *Service) observe(kind models.FeedbackKind, res *Result, err error) {
	if s.Observer != nil {
		s.Observer.LinkbackReceived(kind, Outcome(res, err))
	}
}

func (s *Service) receive(ctx context.Context, lb Linkback) (*Result, error) {
	switch lb.Kind {
	case models.FeedbackTrackBack, models.FeedbackPingback, models.FeedbackWebmention:
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedKind, lb.Kind)
	}
	source, err := trackback.CleanURL(lb.Source)
	if err != nil {
		return nil, ErrSourceInvalid
	}
	if lb.Kind == models.FeedbackWebmention {
		if lb.Target, err = s.webmentionTarget(ctx, source, &lb); err != nil {
			return nil, err
		}
	}
	post, site, err := s.target(ctx, lb)
	if err != nil {
		return nil, err
	}
	own, err := s.selfSource(ctx, source, post, site)
	if err != nil {
		return nil, err
	}
	if site.Blocked(hostname(source), lb.RemoteIP) {
		return nil, ErrBlocked
	}
	if lb.Kind == models.FeedbackPingback { // known already: answer before fetching anything
		if known, err := s.Feedback.HasLinkback(ctx, post.ID, lb.Kind, source); err != nil {
			return nil, err
		} else if known {
			return nil, ErrDuplicate
		}
	}
	// Charged only for well-formed linkbacks, so garbage cannot close a post to real ones.
	if err := allow(ctx, s.PerPost, strconv.FormatInt(post.ID, 10), ScopePost); err != nil {
		return nil, err
	}
	fb := &models.Feedback{PostID: post.ID, Kind: lb.Kind, Status: models.ModPending, SourceURL: source,
		IP: lb.RemoteIP, UserAgent: text.TruncateBytes(lb.UserAgent, maxUserAgent), Verification: models.VerificationPending}
	res := &Result{Feedback: fb, Post: post}
	if own != nil { // one of our own posts: its real title, nothing to fetch
		fb.AuthorName, fb.Title, fb.Content = site.Title, own.Title, trackback.Excerpt(own.BodyHTML)
		fb.TargetURL, fb.Verification = lb.Target, models.VerificationVerified
		if lb.Kind == models.FeedbackWebmention { // with its status page
			res.Created, err = s.Feedback.SaveWebmention(ctx, fb)
			return res, err
		}
		res.Created, err = s.Feedback.AddFeedback(ctx, fb)
		if err == nil && !res.Created && lb.Kind == models.FeedbackPingback {
			return nil, ErrDuplicate
		}
		return res, err
	}
	switch lb.Kind {
	case models.FeedbackTrackBack:
		fb.AuthorName, fb.Title, fb.Content = lb.BlogName, lb.Title, lb.Excerpt
		res.Created, err = s.Feedback.AddFeedback(ctx, fb)
	case models.FeedbackWebmention:
		fb.AuthorName, fb.TargetURL, fb.Title = sourceHost(source), lb.Target, text.TruncateBytes(source, trackback.MaxTitle)
		res.Created, err = s.Feedback.SaveWebmention(ctx, fb)
	case models.FeedbackPingback:
		if err := s.verifyNow(ctx, site, fb, lb.Target); err != nil {
			return nil, err
		}
		if res.Created, err = s.Feedback.AddFeedback(ctx, fb); err == nil && !res.Created {
			return nil, ErrDuplicate
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", lb.Kind, err)
	}
	return res, nil
}

// webmentionTarget normalises a Webmention's target to its post's permalink
// (see normaliseTarget), which is what is stored and what the source must
// link to, and refuses a source that is the target itself. lb.Post is set to
// the post found.
func (s *Service) webmentionTarget(ctx context.Context, source string, lb *Linkback) (string, error) {
	if sent, err := trackback.CleanURL(lb.Target); err != nil {
		return "", ErrTargetInvalid
	} else if sent == source {
		return "", ErrSameURL
	}
	permalink, post, err := s.normaliseTarget(ctx, lb.Target)
	if err != nil {
		return "", err
	}
	if permalink == source {
		return "", ErrSameURL
	}
	lb.Post = post
	return permalink, nil
}

// verifyNow fetches a Pingback's source while the sender waits (the
// protocol reports a missing link as a fault), so what is stored is already
// verified, with the source's title and the text around the link.
func (s *Service) verifyNow(ctx context.Context, site models.Site, fb *models.Feedback, target string) error {
	title, excerpt, err := trackback.Mention(ctx, s.Client, fb.SourceURL, target)
	if err != nil {
		if errors.Is(err, trackback.ErrNoLinkBack) {
			return ErrNoLink
		}
		if upstreamFailure(err) {
			s.log().Info("pingback source: upstream error", "source", fb.SourceURL, "err", err)
			return ErrSourceUpstream
		}
		s.log().Info("pingback source unreadable", "source", fb.SourceURL, "err", err)
		return ErrSourceUnreadable
	}
	approve, err := site.AutoApprove(ctx, s.Feedback, fb.SourceURL)
	if err != nil {
		return err
	}
	if approve {
		fb.Status = models.ModApproved
	}
	if title == "" {
		title = text.TruncateBytes(fb.SourceURL, trackback.MaxTitle)
	}
	fb.AuthorName, fb.Title, fb.Content, fb.Verification = sourceHost(fb.SourceURL), title, excerpt, models.VerificationVerified
	return nil
}

// upstreamFailure reports a failed source fetch that is the source
// server's fault and may work later: a 5xx answer, or no answer at all.
// Any other status (404, 410, 4xx) and the safe client's refusals (a
// private address, a forbidden port or scheme, too many redirects, a page
// too large) are the source's own problem: trying again will not help.
func upstreamFailure(err error) bool {
	var status *trackback.HTTPError
	if errors.As(err, &status) {
		return status.StatusCode >= http.StatusInternalServerError
	}
	for _, refused := range []error{safeclient.ErrForbiddenAddress, safeclient.ErrForbiddenScheme,
		safeclient.ErrUserinfo, safeclient.ErrTooManyRedirects, safeclient.ErrBodyTooLarge} {
		if errors.Is(err, refused) {
			return false
		}
	}
	return trackback.IsRetryable(err)
}

// TrackBackPost finds the published post a TrackBack ping URL names
// (/trackback/ID); with receiving, it also checks that the post takes
// pings now. ErrTargetUnknown: no such published post; ErrTargetRefused:
// it takes no pings; anything else is a store failure.
func (s *Service) TrackBackPost(ctx context.Context, id int64, receiving bool) (*models.Post, error) {
	post, _, err := s.postByID(ctx, id, receiving)
	return post, err
}

func (s *Service) postByID(ctx context.Context, id int64, receiving bool) (*models.Post, models.Site, error) {
	if id <= 0 {
		return nil, models.Site{}, ErrTargetUnknown
	}
	post, err := s.Posts.PostHeadByID(ctx, id)
	if err != nil {
		return nil, models.Site{}, notFoundAs(err, ErrTargetUnknown)
	}
	return s.accepting(ctx, post, receiving)
}

// target resolves the post a linkback names: by id (TrackBack) or by URL.
func (s *Service) target(ctx context.Context, lb Linkback) (*models.Post, models.Site, error) {
	switch {
	case lb.Post != nil:
		return s.accepting(ctx, lb.Post, true)
	case lb.Kind == models.FeedbackTrackBack:
		return s.postByID(ctx, lb.PostID, true)
	}
	return s.postByURL(ctx, lb.Target)
}

// accepting checks a found post is public and, with receiving, takes pings now.
func (s *Service) accepting(ctx context.Context, post *models.Post, receiving bool) (*models.Post, models.Site, error) {
	if !post.IsPublic() {
		return nil, models.Site{}, ErrTargetUnknown
	}
	site, err := s.Site(ctx)
	if err != nil {
		return nil, site, fmt.Errorf("read settings: %w", err)
	}
	if receiving && !post.AcceptsPings(site, s.now()) {
		return nil, site, ErrTargetRefused
	}
	return post, site, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

// hostname is a source URL's host, without port, for the block list.
func hostname(source string) string {
	u, err := url.Parse(source)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// sourceHost is the host name shown as a linkback's author.
func sourceHost(source string) string {
	return text.TruncateBytes(hostname(source), models.MaxAuthorNameLen)
}
