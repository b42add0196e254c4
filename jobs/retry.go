package jobs

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// Backoff is how a failed fetch or send is retried: after the first failure
// wait First, then twice as long each time up to Max, and give up once the
// waits would add up to more than Total, or after Attempts attempts in all
// when that is set. The zero value is the outbox's schedule (1 min, 4 h,
// 24 h: about a dozen attempts over a day); VerifyBackoff is the
// verifier's.
type Backoff struct {
	First    time.Duration
	Max      time.Duration
	Total    time.Duration
	Attempts int
}

// VerifyBackoff is how the check of a received linkback's source is
// retried: 1 min, 2 min, 4 min … 64 min, eight attempts in all.
func VerifyBackoff() Backoff {
	return Backoff{First: time.Minute, Max: time.Minute << 10, Attempts: 8}
}

// next is the wait before the next attempt after attempts failed ones, and
// false when it is time to give up.
func (b Backoff) next(attempts int) (time.Duration, bool) {
	first, most, total := b.First, b.Max, b.Total
	if first <= 0 {
		first = time.Minute
	}
	if most <= 0 {
		most = 4 * time.Hour
	}
	if total <= 0 {
		total = 24 * time.Hour
	}
	var waited, wait time.Duration
	for i := 0; i < max(attempts, 1); i++ {
		wait = min(first<<min(i, 30), most)
		waited += wait
	}
	return wait, waited <= total && (b.Attempts <= 0 || attempts < b.Attempts)
}

// retryable reports whether trying again later may succeed, for sending a
// notification and for checking a received linkback's source alike: not
// when the remote site refused (a TrackBack error, a 4xx answer, 410 Gone,
// a Pingback fault), nor when the address may not be reached at all.
func retryable(err error) bool {
	var fault *xmlrpc.Fault
	if errors.As(err, &fault) || errors.Is(err, safeclient.ErrForbiddenAddress) ||
		errors.Is(err, safeclient.ErrForbiddenScheme) || errors.Is(err, safeclient.ErrUserinfo) {
		return false
	}
	return trackback.IsRetryable(err)
}

// gone reports a page that answered 410 Gone: it will not come back.
func gone(err error) bool {
	var status *trackback.HTTPError
	return errors.As(err, &status) && status.StatusCode == http.StatusGone
}

// describe turns a delivery error into a short sentence for the writer.
func describe(err error) string {
	var remote *trackback.RemoteError
	var status *trackback.HTTPError
	var fault *xmlrpc.Fault
	var netErr net.Error
	switch {
	case errors.As(err, &remote):
		if remote.Message == "" {
			return "Refused by the remote site."
		}
		return "Refused: " + remote.Message
	case errors.As(err, &fault):
		return "Refused: " + fault.Message
	case errors.As(err, &status):
		msg := "The site answered HTTP " + status.Status
		if status.Message != "" {
			msg += ": " + status.Message
		}
		return msg + "."
	case errors.Is(err, safeclient.ErrForbiddenAddress):
		return "Not sent: the address is on a private or reserved network."
	case errors.Is(err, safeclient.ErrForbiddenScheme), errors.Is(err, safeclient.ErrUserinfo),
		errors.Is(err, trackback.ErrInvalidURL):
		return "Not sent: this is not a usable http or https address."
	case errors.Is(err, safeclient.ErrTooManyRedirects):
		return "The site redirected too many times."
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "The site did not answer in time."
	}
	return strings.TrimPrefix(err.Error(), "trackback: ")
}
