package intake

import (
	"errors"
	"time"
)

// Error is why a linkback was refused. The values below are sentinels:
// each protocol handler maps them to its wire answer (TrackBack error XML,
// Pingback fault codes, Webmention statuses); their texts are for logs, not
// for senders. Being constants, they cannot be reassigned.
type Error string

func (e Error) Error() string { return "intake: " + string(e) }

// The refusals.
const (
	// ErrSourceInvalid: the source is not a usable http or https URL.
	ErrSourceInvalid Error = "the source is not a valid http or https URL"
	// ErrTargetInvalid: the target is not a usable http or https URL (Webmention).
	ErrTargetInvalid Error = "the target is not a valid http or https URL"
	// ErrTargetUnknown: the target is no post on this blog.
	ErrTargetUnknown Error = "the target is not a post on this blog"
	// ErrTargetRefused: the target exists but takes no linkbacks (the home
	// page, a page, a post closed to pings, pings off site-wide).
	ErrTargetRefused Error = "the target does not accept linkbacks"
	// ErrSelfSource: the source is this blog itself.
	ErrSelfSource Error = "the source is this blog itself"
	// ErrBlocked: the source's site or the sender's address is on the block list.
	ErrBlocked Error = "the source is on the block list"
	// ErrRateLimited: too many linkbacks; the error is a *RateLimitError.
	ErrRateLimited Error = "too many linkbacks"
	// ErrDuplicate: the same linkback is stored already (Pingback).
	ErrDuplicate Error = "the linkback is registered already"
	// ErrNoLink: the source does not link to the target (Pingback, checked at once).
	ErrNoLink Error = "the source does not link to the target"
	// ErrSourceUnreadable: the source could not be fetched, and fetching it
	// again will not help: an invalid or forbidden address, 404, 410 or
	// another 4xx answer (Pingback).
	ErrSourceUnreadable Error = "the source could not be read"
	// ErrSourceUpstream: the source's server failed: it answered 5xx, or
	// did not answer at all (a timeout, a refused connection, a name that
	// does not resolve). Trying later may work (Pingback fault 50).
	ErrSourceUpstream Error = "the source's server failed"
	// ErrUnsupportedKind: the service does not take linkbacks of this kind.
	ErrUnsupportedKind Error = "unsupported linkback kind"
)

// ErrSameURL: the source and the target are the same URL; errors.Is(ErrSameURL, ErrSelfSource) holds.
var ErrSameURL error = sameURLError{}

type sameURLError struct{}

func (sameURLError) Error() string { return "intake: the source and the target are the same URL" }

// Is makes ErrSameURL an ErrSelfSource too.
func (sameURLError) Is(target error) bool { return target == ErrSelfSource }

// Scope says which limit was hit.
type Scope string

// Rate-limit scopes.
const (
	ScopeAddress Scope = "address" // linkbacks from one client address
	ScopePost    Scope = "post"    // linkbacks to one post, from everywhere
)

// RateLimitError is a refusal by a rate limit; errors.Is(err, ErrRateLimited) holds.
type RateLimitError struct {
	Scope      Scope
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return "intake: too many linkbacks per " + string(e.Scope) + "; retry after " + e.RetryAfter.String()
}

// Is makes a *RateLimitError match ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Seconds is the wait in whole seconds, rounded up past any fraction, as a
// Retry-After header or a message says it.
func (e *RateLimitError) Seconds() int { return int(e.RetryAfter.Seconds()) + 1 }

// Outcome names how a linkback ended, in one of a few fixed words (for a
// metric's label): "accepted" (stored), "unchanged" (stored before, or a
// re-sent Webmention to check again), "rate_limited", "invalid",
// "unknown_target", "refused_target", "self_source", "blocked", "duplicate",
// "no_link", "source_unreadable", "source_upstream", or "error" (a failure
// of the blog itself).
func Outcome(res *Result, err error) string {
	if err == nil {
		if res != nil && !res.Created {
			return "unchanged"
		}
		return "accepted"
	}
	for _, o := range []struct {
		err  error
		name string
	}{
		{ErrRateLimited, "rate_limited"},
		{ErrSourceInvalid, "invalid"}, {ErrTargetInvalid, "invalid"}, {ErrUnsupportedKind, "invalid"},
		{ErrTargetUnknown, "unknown_target"}, {ErrTargetRefused, "refused_target"},
		{ErrSelfSource, "self_source"}, {ErrBlocked, "blocked"}, {ErrDuplicate, "duplicate"},
		{ErrNoLink, "no_link"}, {ErrSourceUnreadable, "source_unreadable"}, {ErrSourceUpstream, "source_upstream"},
	} {
		if errors.Is(err, o.err) {
			return o.name
		}
	}
	return "error"
}
