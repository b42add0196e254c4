package jobs

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/trackback/text"
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

// DeliveryBackoff is how a fediverse delivery is retried, about as long
// as Mastodon keeps trying (16 attempts over 2 to 3 days): 1 min, 2 min,
// 4 min … 8.5 h, then every 12 h, for up to 3 days: 15 attempts in all.
func DeliveryBackoff() Backoff {
	return Backoff{First: time.Minute, Max: 12 * time.Hour, Total: 72 * time.Hour}
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

// describe turns a delivery error into a short sentence for the writer,
// in plain words: what the remote site did, never the text of a Go error
// (addresses, ports and resolver details go to the log, see Outbox.fail).
func describe(err error) string {
	var remote *trackback.RemoteError
	var status *trackback.HTTPError
	var fault *xmlrpc.Fault
	var badCert *tls.CertificateVerificationError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, trackback.ErrNoEndpoint):
		return "No TrackBack, Pingback or Webmention endpoint found on that page."
	case errors.As(err, &remote):
		return refusal(remote.StatusCode, remote.Message)
	case errors.As(err, &fault):
		return refusal(0, fault.Message)
	case errors.As(err, &status):
		return statusSentence(status)
	case errors.Is(err, safeclient.ErrForbiddenAddress):
		return "Not sent: the address is on a private or reserved network."
	case errors.Is(err, safeclient.ErrForbiddenScheme), errors.Is(err, safeclient.ErrUserinfo),
		errors.Is(err, trackback.ErrInvalidURL):
		return "Not sent: this is not a usable http or https address."
	case errors.Is(err, safeclient.ErrTooManyRedirects):
		return "The site redirected too many times."
	case errors.Is(err, safeclient.ErrBodyTooLarge):
		return "The site's answer was too large."
	case errors.As(err, &badCert):
		return "The site's HTTPS certificate is not valid."
	case unanswered(err):
		return "The site did not answer."
	}
	return "The site's answer could not be understood."
}

// unanswered reports an error of the network rather than of the answer:
// a timeout, a refused or reset connection, a name that does not resolve,
// a connection closed before the answer was complete.
func unanswered(err error) bool {
	var netErr net.Error // *net.OpError, *net.DNSError, *url.Error and timeouts
	return errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// refusal says that the remote site refused, with its own message (already
// plain text; a Webmention endpoint's starts with its status line).
func refusal(code int, msg string) string {
	msg = text.CleanLine(msg)
	head := "The site refused"
	if code >= 400 {
		head += fmt.Sprintf(" (HTTP %d)", code)
		if rest, ok := strings.CutPrefix(msg, strconv.Itoa(code)+" "); ok {
			_, msg, _ = strings.Cut(rest, ": ")
		}
	}
	if msg == "" {
		return head + "."
	}
	return head + ": " + sentence(msg)
}

// statusSentence says what an HTTP status outside 2xx means, by its code
// (the status line's text is the remote's and may say anything).
func statusSentence(e *trackback.HTTPError) string {
	var s string
	switch c := e.StatusCode; {
	case c == http.StatusNotFound:
		s = "The page was not found (HTTP 404)"
	case c == http.StatusGone:
		s = "The page is gone (HTTP 410)"
	case c == http.StatusTooManyRequests:
		s = "The site asked to wait (HTTP 429)"
	case c == http.StatusRequestTimeout:
		s = "The site did not answer in time (HTTP 408)"
	case c >= 500:
		s = fmt.Sprintf("The site had an error (HTTP %d)", c)
	default:
		s = fmt.Sprintf("The site answered HTTP %d", c)
	}
	if m := text.CleanLine(e.Message); m != "" {
		return s + ": " + sentence(m)
	}
	return s + "."
}

// sentence ends s with a full stop unless it ends with punctuation already.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}

// willRetry adds to a description that the notification is tried again.
func willRetry(msg string) string {
	return strings.TrimRight(msg, ".!?") + "; it will be tried again."
}
