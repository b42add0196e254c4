// Package safeclient builds the HTTP client that Crosstalk uses for every
// outbound request made on behalf of a remote party: TrackBack and Pingback
// pings, Webmention sends, and the source/target fetches done while verifying
// or discovering linkbacks. Those URLs are chosen by strangers, so the client
// is hardened against server-side request forgery (SSRF):
//
//   - Only http and https URLs are fetched, and URLs carrying userinfo
//     (http://user:pass@host/) are refused. Both rules are re-applied to every
//     redirect target.
//   - The destination IP address is checked inside the dialer's Control hook,
//     that is after DNS resolution and immediately before connect(2), for
//     every connection, including each redirect hop. A hostname that resolves
//     (or is re-bound) to a forbidden address is therefore refused and no
//     packet is ever sent to it. Loopback, RFC 1918 private, link-local
//     (169.254.0.0/16, which includes cloud metadata endpoints), CGNAT
//     (100.64.0.0/10), multicast, unspecified, broadcast and other IANA
//     special-purpose ranges are refused, as are IPv6 loopback, ULA
//     (fc00::/7), link-local (fe80::/10), multicast, NAT64 and anything else
//     outside the IPv6 global unicast range. IPv4-mapped IPv6 addresses
//     (::ffff:127.0.0.1) are unmapped and judged as IPv4. Only tcp4 and tcp6
//     connections are made. Any port is allowed.
//   - No proxy is used, whatever HTTP_PROXY and friends say: a proxy would
//     make the dial-time check meaningless.
//   - Dial, TLS handshake and response header timeouts of at most 5 s, an
//     overall request timeout, a cap on the number of redirects and a cap on
//     the number of body bytes that can be read.
//
// Options.AllowPrivateNetworks turns the address check off (tests, intranet
// deployments). Everything else stays in force.
package safeclient

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// Defaults applied by New when the corresponding Options field is zero.
const (
	// DefaultTimeout is the default overall time limit for one request,
	// redirects and reading the body included.
	DefaultTimeout = 5 * time.Second
	// DefaultMaxBodyBytes is the default cap on the bytes read from one
	// response body (1 MiB).
	DefaultMaxBodyBytes int64 = 1 << 20
	// DefaultMaxRedirects is the default number of redirects followed.
	DefaultMaxRedirects = 5
)

// phaseTimeout bounds each connection phase (dial, TLS handshake, waiting for
// response headers) independently of the overall Options.Timeout.
const phaseTimeout = 5 * time.Second

// maxResponseHeaderBytes bounds the size of response headers.
const maxResponseHeaderBytes = 64 << 10

// Sentinel errors. Errors returned by the client wrap these, so callers can
// test them with errors.Is even through *url.Error and *net.OpError.
var (
	// ErrForbiddenAddress is returned when a connection would go to an
	// address that is not allowed (loopback, private, link-local, ...), or
	// over a network other than tcp4/tcp6. The underlying ssrf error, if
	// any, is wrapped as well.
	ErrForbiddenAddress = errors.New("safeclient: forbidden destination address")
	// ErrForbiddenScheme is returned for URLs (initial or redirect targets)
	// whose scheme is not http or https.
	ErrForbiddenScheme = errors.New("safeclient: forbidden URL scheme")
	// ErrUserinfo is returned for URLs (initial or redirect targets) that
	// contain userinfo, such as http://user:pass@host/.
	ErrUserinfo = errors.New("safeclient: URL must not contain userinfo")
	// ErrTooManyRedirects is returned when a request is redirected more than
	// Options.MaxRedirects times.
	ErrTooManyRedirects = errors.New("safeclient: too many redirects")
	// ErrBodyTooLarge is returned by a response body's Read once more than
	// Options.MaxBodyBytes bytes would have been read.
	ErrBodyTooLarge = errors.New("safeclient: response body too large")
)

// Options configures New. The zero value is a safe default.
type Options struct {
	// AllowPrivateNetworks disables the destination address check so that
	// loopback, private and link-local hosts can be reached. Off by default;
	// meant for tests and intranet deployments only. Scheme, userinfo,
	// redirect, timeout and body limits still apply.
	AllowPrivateNetworks bool
	// UserAgent, if non-empty, is set as the User-Agent header of every
	// request, replacing any value set by the caller. See UserAgent.
	UserAgent string
	// Timeout is the overall limit for one request, including redirects and
	// reading the body. Zero or negative means DefaultTimeout (5 s).
	Timeout time.Duration
	// MaxBodyBytes caps how many bytes can be read from a response body.
	// Zero or negative means DefaultMaxBodyBytes (1 MiB).
	MaxBodyBytes int64
	// MaxRedirects is how many redirects are followed. Zero means
	// DefaultMaxRedirects (5); negative means no redirect is followed (the
	// first one fails with ErrTooManyRedirects).
	MaxRedirects int
	// Ports, when not empty, are the only destination ports allowed (with
	// the address check on). Fetches that strangers can trigger, such as
	// checking a pingback's source, use it so that they cannot probe
	// arbitrary ports; the blog's own outgoing pings reach any port.
	Ports []uint16
}

// New returns an *http.Client hardened as described in the package
// documentation. Each call returns an independent client with its own
// transport and connection pool; create one and reuse it.
//
// Response bodies are capped at Options.MaxBodyBytes: Read delivers the first
// MaxBodyBytes bytes normally and then fails with an error wrapping
// ErrBodyTooLarge instead of silently truncating. Callers that want
// truncation (for example link discovery on a big HTML page) can keep what
// was read: io.ReadAll returns the bytes read so far together with the
// error, so
//
//	b, err := io.ReadAll(resp.Body)
//	if errors.Is(err, safeclient.ErrBodyTooLarge) {
//		err = nil // use the first MaxBodyBytes bytes in b
//	}
//
// Callers that need the whole document treat ErrBodyTooLarge as a failure.
// The cap applies to the decoded body, so a compressed response cannot
// expand past it.
func New(opts Options) *http.Client {
	return newClient(opts, nil)
}

// newClient is New with a test-only hook: if except is non-nil and returns
// true for a destination, that destination is allowed even though the
// address check would refuse it. Production code always passes nil.
func newClient(opts Options, except func(netip.AddrPort) bool) *http.Client {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	maxBody := opts.MaxBodyBytes
	if maxBody <= 0 {
		maxBody = DefaultMaxBodyBytes
	}
	maxRedirects := opts.MaxRedirects
	if maxRedirects == 0 {
		maxRedirects = DefaultMaxRedirects
	}

	g := &guard{except: except}
	if !opts.AllowPrivateNetworks {
		g.guardian = ssrf.New(ssrf.WithAnyPort())
		g.ports = opts.Ports
	}
	dialer := &net.Dialer{
		Timeout:   min(phaseTimeout, timeout),
		KeepAlive: 30 * time.Second,
		Control:   g.control,
	}
	base := &http.Transport{
		Proxy:                  nil, // never honour environment proxies
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    min(phaseTimeout, timeout),
		ResponseHeaderTimeout:  min(phaseTimeout, timeout),
		ExpectContinueTimeout:  1 * time.Second,
		IdleConnTimeout:        30 * time.Second,
		MaxIdleConns:           32,
		MaxIdleConnsPerHost:    2,
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
	}
	rt := &transport{
		base:      base,
		dialer:    dialer,
		userAgent: opts.UserAgent,
		maxBody:   maxBody,
	}
	return &http.Client{
		Transport: rt,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("%w (limit %d)", ErrTooManyRedirects, max(maxRedirects, 0))
			}
			return checkURL(req.URL)
		},
	}
}

// UserAgent returns the User-Agent string Crosstalk sends, naming the engine,
// its version and the site, e.g. UserAgent("1.2.3", "https://blog.example")
// returns "Crosstalk/1.2.3 (+https://blog.example)". An empty version or
// siteURL is left out.
func UserAgent(version, siteURL string) string {
	ua := "Crosstalk"
	if v := strings.TrimSpace(version); v != "" {
		ua += "/" + v
	}
	if s := strings.TrimSpace(siteURL); s != "" {
		ua += " (+" + s + ")"
	}
	return ua
}

// checkURL enforces the scheme and userinfo rules on u.
func checkURL(u *url.URL) error {
	if u == nil {
		return fmt.Errorf("%w: missing URL", ErrForbiddenScheme)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return fmt.Errorf("%w: %q", ErrForbiddenScheme, u.Scheme)
	}
	if u.User != nil {
		return ErrUserinfo
	}
	return nil
}

// guard holds the dial-time destination check.
type guard struct {
	// guardian is nil when private networks are allowed.
	guardian *ssrf.Guardian
	// except is a test-only allow list consulted before guardian.
	except func(netip.AddrPort) bool
	// ports, when not empty, are the only destination ports allowed.
	ports []uint16
}

// control is the net.Dialer Control function. It runs after name resolution
// and before connect, with the literal IP:port about to be dialed.
func (g *guard) control(network, address string, _ syscall.RawConn) error {
	switch network {
	case "tcp4", "tcp6":
	default:
		return fmt.Errorf("%w: network %q not allowed", ErrForbiddenAddress, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrForbiddenAddress, err)
	}
	if g.guardian == nil {
		return nil
	}
	ap = netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port())
	if g.except != nil && g.except(ap) {
		return nil
	}
	if len(g.ports) > 0 && !slices.Contains(g.ports, ap.Port()) {
		return fmt.Errorf("%w: port %d not allowed", ErrForbiddenAddress, ap.Port())
	}
	return g.checkAddr(ap.Addr())
}

// checkAddr refuses ip if it is not a public unicast address. The ssrf
// Guardian does the real work; the netip predicates are a second, independent
// line of defence.
func (g *guard) checkAddr(ip netip.Addr) error {
	if err := g.guardian.SafeAddr(ip); err != nil {
		return fmt.Errorf("%w: %w", ErrForbiddenAddress, err)
	}
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsLoopback() || ip.IsPrivate() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || !ip.IsGlobalUnicast() {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, ip)
	}
	return nil
}

// transport enforces URL rules, sets the User-Agent and caps response bodies
// around an *http.Transport whose dialer carries the address check.
type transport struct {
	base      *http.Transport
	dialer    *net.Dialer
	userAgent string
	maxBody   int64
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkURL(req.URL); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	if t.userAgent != "" {
		req = req.Clone(req.Context()) // a RoundTripper must not modify req
		req.Header.Set("User-Agent", t.userAgent)
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, remaining: t.maxBody, limit: t.maxBody}
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// underlying transport.
func (t *transport) CloseIdleConnections() {
	t.base.CloseIdleConnections()
}

// limitedBody returns ErrBodyTooLarge once more than limit bytes would be
// read from rc.
type limitedBody struct {
	rc        io.ReadCloser
	remaining int64
	limit     int64
	err       error // sticky
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	// Read one byte past the limit, so hitting the limit exactly is not
	// mistaken for exceeding it.
	if int64(len(p)) > b.remaining+1 {
		p = p[:b.remaining+1]
	}
	n, err := b.rc.Read(p)
	if int64(n) <= b.remaining {
		b.remaining -= int64(n)
		if err != nil {
			b.err = err
		}
		return n, err
	}
	n = int(b.remaining)
	b.remaining = 0
	b.err = fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, b.limit)
	return n, b.err
}

func (b *limitedBody) Close() error {
	return b.rc.Close()
}
