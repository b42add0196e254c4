package trackback

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RemoteError is a refusal reported by the remote site: a TrackBack reply
// with <error>1</error>, or a 4xx answer to a Webmention. Sending the same
// notification again would be refused again, so it is not retryable.
type RemoteError struct {
	StatusCode int    // the HTTP status of the reply
	Message    string // the remote's message, cleaned to plain text; may be empty
}

// Error implements error.
func (e *RemoteError) Error() string {
	if e.Message == "" {
		return "trackback: refused by the remote site"
	}
	return "trackback: refused by the remote site: " + e.Message
}

// HTTPError is an HTTP status outside 2xx that is not a refusal of the
// notification itself (server errors, rate limiting, a missing page). It is
// retryable, except 410 Gone.
type HTTPError struct {
	StatusCode int    // the HTTP status code
	Status     string // the status line, e.g. "503 Service Unavailable"
	Message    string // a TrackBack error message found in the reply, if any
	// RetryAfter is how long a 429 or 503 answer asked to wait (its
	// Retry-After header); 0 when it did not say.
	RetryAfter time.Duration
}

// ParseRetryAfter reads a Retry-After header, seconds or an HTTP date,
// as a wait from now; 0 when absent, malformed or past.
func ParseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(365*24*3600))) * time.Second
	}
	if at, err := http.ParseTime(h); err == nil && at.After(now) {
		return at.Sub(now)
	}
	return 0
}

// Error implements error.
func (e *HTTPError) Error() string {
	s := "trackback: HTTP status " + e.Status
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// IsRetryable reports whether sending again later may succeed. It is false
// for nil, for a *RemoteError (the remote refused), for ErrNoEndpoint,
// ErrNoLinkBack and ErrInvalidURL (nothing will change), and for an *HTTPError with status
// 410 Gone; it is true for everything else: network errors, timeouts,
// other non-2xx statuses and unparsable replies.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var remote *RemoteError
	if errors.As(err, &remote) {
		return false
	}
	var status *HTTPError
	if errors.As(err, &status) && status.StatusCode == http.StatusGone {
		return false
	}
	return !errors.Is(err, ErrNoEndpoint) && !errors.Is(err, ErrInvalidURL) && !errors.Is(err, ErrNoLinkBack)
}
