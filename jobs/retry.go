package jobs

import (
	"context"
	"errors"
	"net"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// Backoff is how failed notifications are retried: after the first failure
// wait First, then twice as long each time up to Max, and give up once the
// waits would add up to more than Total. The defaults (1 min, 4 h, 24 h)
// make about a dozen attempts over a day.
type Backoff struct {
	First time.Duration
	Max   time.Duration
	Total time.Duration
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
	return wait, waited <= total
}

// retryable reports whether sending again later may succeed: not when the
// remote site refused (a TrackBack error, a 4xx Webmention answer, a
// Pingback fault), nor when the address may not be reached at all.
func retryable(err error) bool {
	var fault *xmlrpc.Fault
	if errors.As(err, &fault) || errors.Is(err, safeclient.ErrForbiddenAddress) ||
		errors.Is(err, safeclient.ErrForbiddenScheme) || errors.Is(err, safeclient.ErrUserinfo) {
		return false
	}
	return trackback.IsRetryable(err)
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
