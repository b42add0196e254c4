package models

import (
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models/markup"
)

// NotificationState is where a notification of a linked site stands.
type NotificationState string

// Notification states. Queued, working and sending are on their way; held
// waits for its post to be public again; the others are final until the
// writer asks for a retry.
const (
	NotifyQueued     NotificationState = "queued"      // due at NextAttemptAt
	NotifyWorking    NotificationState = "working"     // a worker holds it: discovering the endpoint
	NotifySending    NotificationState = "sending"     // a worker holds it: the ping is on its way
	NotifySent       NotificationState = "sent"        // the remote site accepted it
	NotifyFailed     NotificationState = "failed"      // the remote site refused it, or it cannot be sent
	NotifyGaveUp     NotificationState = "gave_up"     // retried for about a day without success
	NotifyNoEndpoint NotificationState = "no_endpoint" // the linked page advertises no endpoint
	NotifyHeld       NotificationState = "held"        // the post is no longer public
)

// Retryable reports whether the writer may send the notification again.
func (s NotificationState) Retryable() bool {
	return s == NotifyFailed || s == NotifyGaveUp || s == NotifyNoEndpoint
}

// Settled reports whether the outbox is done with a notification for now:
// sent, refused or given up.
func (s NotificationState) Settled() bool {
	return s == NotifySent || s == NotifyFailed || s == NotifyGaveUp || s == NotifyNoEndpoint
}

// protocolWebmention is the Protocol value of notifications sent as Webmentions.
const protocolWebmention = "webmention"

// InFlight reports whether the notification is still on its way.
func (s NotificationState) InFlight() bool {
	return s == NotifyQueued || s == NotifyWorking || s == NotifySending
}

// Limits on what a post notifies.
const (
	// MaxNotifyTargets caps the sites one post notifies; later links are not.
	MaxNotifyTargets = 1000
	// MaxTargetURL is the longest link notified, in bytes.
	MaxTargetURL = 2048
	// maxNotifyMessage caps the remote message kept, in characters.
	maxNotifyMessage = 500
)

// Notification is one site a published post notifies, kept in the outbox
// until it is delivered or given up.
type Notification struct {
	ID     int64
	PostID int64
	// TargetURL is the link in the post, or the TrackBack URL when Direct.
	TargetURL string `gorm:"column:target_url"`
	// Direct marks a "Send TrackBacks to" URL, pinged without discovery.
	Direct bool
	// Protocol is "" until discovery, then "trackback", "pingback" or "webmention".
	Protocol string
	Endpoint string
	State    NotificationState
	// Attempts counts the attempts that ran (a discovery or a ping): the
	// retry budget.
	Attempts int
	// LeaseSeq grows with every claim and fences a worker whose lease ran out.
	LeaseSeq      int
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	LastMessage   string
	SentAt        *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// NotificationResult is what a worker learnt about a notification it held.
type NotificationResult struct {
	State   NotificationState
	Message string
	// RetryIn is the wait before the next attempt, with State NotifyQueued.
	RetryIn time.Duration
	// Ran marks an attempt that was made (a discovery or a ping), which
	// counts against the retry budget; a claim given back unused does not.
	Ran bool
}

// NotifyTarget is one site a published post notifies.
type NotifyTarget struct {
	URL string
	// Direct marks a "Send TrackBacks to" URL.
	Direct bool
	// Skipped marks a link the writer chose to leave out.
	Skipped bool
}

// NotifyTargets lists the sites that publishing p notifies: its "Send
// TrackBacks to" URLs, then the absolute http(s) links of its text in order,
// each once, at most MaxNotifyTargets. Links to the blog itself (under
// baseURL, whatever the scheme) are left out unless selfPings; links the
// writer chose to leave out come back with Skipped set. Pages notify nobody:
// like WordPress, only posts send pings.
func (p *Post) NotifyTargets(baseURL string, selfPings bool) []NotifyTarget {
	if p.Kind != KindPost {
		return nil
	}
	skip := map[string]bool{}
	for _, l := range strings.Fields(p.SkipLinks) {
		skip[withoutFragment(NormalizeLink(l))] = true
	}
	seen := map[string]bool{}
	var out []NotifyTarget
	add := func(t NotifyTarget) {
		if len(out) < MaxNotifyTargets && !seen[t.URL] && len(t.URL) <= MaxTargetURL {
			seen[t.URL] = true
			out = append(out, t)
		}
	}
	for _, u := range strings.Fields(p.PingURLs) {
		add(NotifyTarget{URL: u, Direct: true})
	}
	for _, raw := range markup.Links(p.BodyHTML) {
		// Spelling variants of a URL are one target. A #fragment is kept: on
		// an index page it picks the entry's RDF block; links that lead to one
		// TrackBack URL are pinged once all the same (see StartSending).
		link := NormalizeLink(raw)
		if selfPings || !isSelfLink(link, baseURL) {
			add(NotifyTarget{URL: link, Skipped: skip[withoutFragment(link)]})
		}
	}
	return out
}

// NormalizeLink is the form of a link the outbox keeps: scheme and host in
// lower case, no default port, "/" for an empty path (the form a browser's
// URL object gives, so the editor's script agrees).
func NormalizeLink(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return raw
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
	}
	if u.Path == "" && u.RawPath == "" {
		u.Path = "/"
	}
	return u.String()
}

// withoutFragment drops a link's #fragment: leaving a page out leaves out
// every link into it.
func withoutFragment(link string) string {
	before, _, _ := strings.Cut(link, "#")
	return before
}

// isSelfLink reports whether link points into the blog at baseURL: same
// host and port (default ports filled in), under the same path.
func isSelfLink(link, baseURL string) bool {
	if baseURL == "" {
		return false
	}
	l, err1 := url.Parse(link)
	b, err2 := url.Parse(baseURL)
	if err1 != nil || err2 != nil {
		return false
	}
	if !strings.EqualFold(hostPort(l), hostPort(b)) {
		return false
	}
	base := strings.TrimSuffix(b.Path, "/")
	return l.Path == base || strings.HasPrefix(l.Path, base+"/") || (base == "" && l.Path == "")
}

// hostPort is u's host with its port, the scheme's default if none.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	if port == "443" || port == "80" {
		port = "default"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// validPingURL reports whether s may be pinged directly: an absolute http
// or https URL with a host, without user information.
func validPingURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.User == nil && len(s) <= MaxTargetURL
}
