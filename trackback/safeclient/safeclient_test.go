package safeclient

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"code.dny.dev/ssrf"
)

// errBackstop marks a dial that the client under test allowed but that the
// test harness stopped, so a broken guard can never make the tests send
// packets anywhere but loopback.
var errBackstop = errors.New("test backstop: client tried to connect to a non-loopback address")

// fastLimit is how quickly a refused destination must fail: the refusal
// happens before connect, so it never waits on the network.
const fastLimit = 2 * time.Second

// newTestClient builds a client like New does (plus the optional test-only
// exception) and wraps its dialer's Control so that, whatever the guard
// decides, only loopback destinations can actually be connected to.
func newTestClient(t *testing.T, opts Options, except func(netip.AddrPort) bool) *http.Client {
	t.Helper()
	c := newClient(opts, except)
	rt, ok := c.Transport.(*transport)
	if !ok {
		t.Fatalf("Transport is %T, want *transport", c.Transport)
	}
	orig := rt.dialer.Control
	rt.dialer.Control = func(network, address string, rc syscall.RawConn) error {
		if orig != nil {
			if err := orig(network, address, rc); err != nil {
				return err
			}
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !ap.Addr().Unmap().IsLoopback() {
			return fmt.Errorf("%w: %s %s", errBackstop, network, address)
		}
		return nil
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// testServer is an httptest server that counts accepted connections and
// handled requests.
type testServer struct {
	*httptest.Server
	conns atomic.Int64
	hits  atomic.Int64
}

// startServer listens on network/addr; it returns nil if that is impossible
// (e.g. no IPv6 loopback).
func startServer(t *testing.T, network, addr string, h http.Handler) *testServer {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Logf("cannot listen on %s %s: %v", network, addr, err)
		return nil
	}
	ts := &testServer{}
	if h == nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "hello") })
	}
	ts.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	ts.Listener.Close()
	ts.Listener = ln
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			ts.conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

func (ts *testServer) port() string {
	_, p, _ := net.SplitHostPort(ts.Listener.Addr().String())
	return p
}

func (ts *testServer) addrPort() netip.AddrPort {
	return netip.MustParseAddrPort(ts.Listener.Addr().String())
}

// get performs a GET, reads and closes the body, and reports the elapsed time.
func get(c *http.Client, u string) (body []byte, status int, elapsed time.Duration, err error) {
	start := time.Now()
	resp, err := c.Get(u)
	if err != nil {
		return nil, 0, time.Since(start), err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return body, resp.StatusCode, time.Since(start), err
}

func TestForbiddenAddresses(t *testing.T) {
	v4 := startServer(t, "tcp4", "127.0.0.1:0", nil)
	v6 := startServer(t, "tcp6", "[::1]:0", nil)
	if v4 == nil {
		t.Fatal("need an IPv4 loopback listener")
	}
	p4 := v4.port()
	p6 := "80"
	if v6 != nil {
		p6 = v6.port()
	}

	c := newTestClient(t, Options{}, nil)

	tests := []struct {
		name string
		url  string
	}{
		{"IPv4 loopback", "http://127.0.0.1:" + p4 + "/"},
		{"IPv4 loopback other", "http://127.1.2.3:" + p4 + "/"},
		{"IPv6 loopback", "http://[::1]:" + p6 + "/"},
		{"IPv4 unspecified", "http://0.0.0.0:" + p4 + "/"},
		{"IPv6 unspecified", "http://[::]:" + p6 + "/"},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:" + p4 + "/"},
		{"localhost name", "http://localhost:" + p4 + "/"},
		{"localhost name https", "https://localhost:" + p4 + "/"},
		{"10/8", "http://10.0.0.1/"},
		{"172.16/12", "http://172.16.0.1/"},
		{"192.168/16", "http://192.168.1.1/"},
		{"cloud metadata", "http://169.254.169.254/latest/meta-data/"},
		{"CGNAT", "http://100.64.0.1/"},
		{"IPv6 ULA", "http://[fc00::1]/"},
		{"IPv6 ULA fd", "http://[fd00::2]/"},
		{"IPv6 link-local", "http://[fe80::1]/"},
		{"IPv4 multicast", "http://224.0.0.1/"},
		{"IPv6 multicast", "http://[ff02::1]/"},
		{"IPv4 broadcast", "http://255.255.255.255/"},
		{"IPv4 reserved 240/4", "http://240.0.0.1/"},
		{"TEST-NET-1", "http://192.0.2.1/"},
		{"IPv6 documentation", "http://[2001:db8::1]/"},
		{"IPv4-mapped private", "http://[::ffff:10.0.0.1]/"},
		{"IPv4-mapped metadata", "http://[::ffff:169.254.169.254]/"},
		{"NAT64 loopback", "http://[64:ff9b::7f00:1]/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, elapsed, err := get(c, tt.url)
			if !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("GET %s: err = %v, want ErrForbiddenAddress", tt.url, err)
			}
			if errors.Is(err, errBackstop) {
				t.Fatalf("GET %s: reached the test backstop: %v", tt.url, err)
			}
			var uerr *url.Error
			if !errors.As(err, &uerr) {
				t.Errorf("GET %s: err is %T, want it wrapped in *url.Error", tt.url, err)
			}
			if elapsed > fastLimit {
				t.Errorf("GET %s took %v; a dial-time refusal must be immediate", tt.url, elapsed)
			}
		})
	}

	if n := v4.conns.Load(); n != 0 {
		t.Errorf("IPv4 loopback server accepted %d connections, want 0", n)
	}
	if v6 != nil {
		if n := v6.conns.Load(); n != 0 {
			t.Errorf("IPv6 loopback server accepted %d connections, want 0", n)
		}
	}
}

func TestControl(t *testing.T) {
	strict := &guard{guardian: ssrf.New(ssrf.WithAnyPort())}
	open := &guard{}
	tests := []struct {
		name    string
		g       *guard
		network string
		address string
		allowed bool
	}{
		{"public v4", strict, "tcp4", "93.184.216.34:80", true},
		{"public v4 odd port", strict, "tcp4", "93.184.216.34:8080", true},
		{"public v6", strict, "tcp6", "[2606:4700:4700::1111]:443", true},
		{"mapped public v4", strict, "tcp6", "[::ffff:93.184.216.34]:80", true},
		{"udp refused", strict, "udp4", "93.184.216.34:53", false},
		{"plain tcp refused", strict, "tcp", "93.184.216.34:80", false},
		{"unix refused", strict, "unix", "/tmp/sock", false},
		{"loopback", strict, "tcp4", "127.0.0.1:80", false},
		{"mapped loopback", strict, "tcp6", "[::ffff:127.0.0.1]:80", false},
		{"zoned link-local", strict, "tcp6", "[fe80::1%eth0]:80", false},
		{"metadata", strict, "tcp4", "169.254.169.254:80", false},
		{"CGNAT edge", strict, "tcp4", "100.127.255.254:80", false},
		{"just outside CGNAT", strict, "tcp4", "100.128.0.1:80", true},
		{"garbage", strict, "tcp4", "not-an-ip:80", false},
		{"private allowed when open", open, "tcp4", "127.0.0.1:80", true},
		{"metadata allowed when open", open, "tcp4", "169.254.169.254:80", true},
		{"udp refused when open", open, "udp4", "127.0.0.1:53", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.g.control(tt.network, tt.address, nil)
			if tt.allowed && err != nil {
				t.Fatalf("control(%s, %s) = %v, want allowed", tt.network, tt.address, err)
			}
			if !tt.allowed && !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("control(%s, %s) = %v, want ErrForbiddenAddress", tt.network, tt.address, err)
			}
		})
	}
}

func TestRedirectToForbiddenAddress(t *testing.T) {
	target := startServer(t, "tcp4", "127.0.0.1:0", nil)
	var loc atomic.Value // string
	front := startServer(t, "tcp4", "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			io.WriteString(w, "ok")
			return
		}
		http.Redirect(w, r, loc.Load().(string), http.StatusFound)
	}))
	if target == nil || front == nil {
		t.Fatal("need loopback listeners")
	}
	// Only the front server counts as "public"; everything else goes through
	// the real address check.
	frontAP := front.addrPort()
	c := newTestClient(t, Options{}, func(ap netip.AddrPort) bool { return ap == frontAP })

	// Positive control: the front server itself is reachable, so the
	// refusals below are about the redirect hop.
	if body, _, _, err := get(c, front.URL+"/ok"); err != nil || string(body) != "ok" {
		t.Fatalf("GET allowed server: body %q, err %v", body, err)
	}
	loc.Store(front.URL + "/ok")
	if body, _, _, err := get(c, front.URL+"/hop"); err != nil || string(body) != "ok" {
		t.Fatalf("redirect to allowed server: body %q, err %v", body, err)
	}

	tp := target.port()
	tests := []struct {
		name string
		loc  string
	}{
		{"loopback literal", "http://127.0.0.1:" + tp + "/"},
		{"localhost name", "http://localhost:" + tp + "/"},
		{"mapped loopback", "http://[::ffff:127.0.0.1]:" + tp + "/"},
		{"metadata", "http://169.254.169.254/latest/meta-data/"},
		{"private", "http://10.0.0.1/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc.Store(tt.loc)
			before := front.hits.Load()
			_, _, elapsed, err := get(c, front.URL+"/hop")
			if !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("redirect to %s: err = %v, want ErrForbiddenAddress", tt.loc, err)
			}
			if errors.Is(err, errBackstop) {
				t.Fatalf("redirect to %s reached the test backstop: %v", tt.loc, err)
			}
			if front.hits.Load() == before {
				t.Errorf("front server was not contacted; the test proves nothing")
			}
			if elapsed > fastLimit {
				t.Errorf("took %v", elapsed)
			}
		})
	}
	if n := target.conns.Load(); n != 0 {
		t.Errorf("forbidden redirect target accepted %d connections, want 0", n)
	}
}

func TestAllowPrivateNetworks(t *testing.T) {
	ts := startServer(t, "tcp4", "127.0.0.1:0", nil)
	for _, host := range []string{"127.0.0.1", "localhost"} {
		c := newTestClient(t, Options{AllowPrivateNetworks: true}, nil)
		u := "http://" + net.JoinHostPort(host, ts.port()) + "/"
		body, status, _, err := get(c, u)
		if err != nil || status != http.StatusOK || string(body) != "hello" {
			t.Errorf("GET %s: status %d body %q err %v", u, status, body, err)
		}
	}
}

func TestForbiddenURLs(t *testing.T) {
	c := newTestClient(t, Options{}, nil)
	tests := []struct {
		url  string
		want error
	}{
		{"ftp://example.com/file", ErrForbiddenScheme},
		{"file:///etc/passwd", ErrForbiddenScheme},
		{"gopher://example.com/", ErrForbiddenScheme},
		{"ws://example.com/", ErrForbiddenScheme},
		{"http://user:pass@example.com/", ErrUserinfo},
		{"https://user@example.com/", ErrUserinfo},
		{"http://:@example.com/", ErrUserinfo},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, _, elapsed, err := get(c, tt.url)
			if !errors.Is(err, tt.want) {
				t.Fatalf("GET %s: err = %v, want %v", tt.url, err, tt.want)
			}
			if elapsed > fastLimit {
				t.Errorf("took %v", elapsed)
			}
		})
	}
}

func TestRedirectToForbiddenURL(t *testing.T) {
	var okHits atomic.Int64
	var loc atomic.Value
	ts := startServer(t, "tcp4", "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			okHits.Add(1)
			return
		}
		http.Redirect(w, r, loc.Load().(string), http.StatusFound)
	}))
	c := newTestClient(t, Options{AllowPrivateNetworks: true}, nil)
	tests := []struct {
		loc  string
		want error
	}{
		{"ftp://example.com/", ErrForbiddenScheme},
		{"file:///etc/passwd", ErrForbiddenScheme},
		{"http://u:p@" + ts.Listener.Addr().String() + "/ok", ErrUserinfo},
	}
	for _, tt := range tests {
		t.Run(tt.loc, func(t *testing.T) {
			loc.Store(tt.loc)
			_, _, _, err := get(c, ts.URL+"/hop")
			if !errors.Is(err, tt.want) {
				t.Fatalf("redirect to %s: err = %v, want %v", tt.loc, err, tt.want)
			}
		})
	}
	if n := okHits.Load(); n != 0 {
		t.Errorf("userinfo redirect target was requested %d times", n)
	}
}

func TestRedirectLimit(t *testing.T) {
	ts := startServer(t, "tcp4", "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n == 0 {
			io.WriteString(w, "done")
			return
		}
		http.Redirect(w, r, "/r/"+strconv.Itoa(n-1), http.StatusFound)
	}))
	tests := []struct {
		name      string
		max       int
		redirects int
		wantErr   bool
	}{
		{"default none", 0, 0, false},
		{"default one", 0, 1, false},
		{"default five", 0, 5, false},
		{"default six", 0, 6, true},
		{"default twenty", 0, 20, true},
		{"max 2 with 2", 2, 2, false},
		{"max 2 with 3", 2, 3, true},
		{"disabled with 0", -1, 0, false},
		{"disabled with 1", -1, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, Options{AllowPrivateNetworks: true, MaxRedirects: tt.max}, nil)
			body, _, _, err := get(c, ts.URL+"/r/"+strconv.Itoa(tt.redirects))
			if tt.wantErr {
				if !errors.Is(err, ErrTooManyRedirects) {
					t.Fatalf("err = %v, want ErrTooManyRedirects", err)
				}
				return
			}
			if err != nil || string(body) != "done" {
				t.Fatalf("body %q err %v, want done", body, err)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	ts := startServer(t, "tcp4", "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if r.URL.Query().Get("gzip") != "" {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write(bytes.Repeat([]byte{'a'}, n))
			zw.Close()
			return
		}
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		w.Write(bytes.Repeat([]byte{'a'}, n))
	}))
	tests := []struct {
		name    string
		max     int64
		query   string
		wantLen int
		wantErr bool
	}{
		{"empty", 100, "n=0", 0, false},
		{"under", 100, "n=99", 99, false},
		{"exact", 100, "n=100", 100, false},
		{"one over", 100, "n=101", 100, true},
		{"far over", 100, "n=50000", 100, true},
		{"chunked exact", 100, "n=100&chunked=1", 100, false},
		{"chunked over", 100, "n=101&chunked=1", 100, true},
		{"gzip bomb", 100, "n=1000000&gzip=1", 100, true},
		{"default exact", 0, "n=1048576", 1 << 20, false},
		{"default over", 0, "n=1048577", 1 << 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, Options{AllowPrivateNetworks: true, MaxBodyBytes: tt.max}, nil)
			body, _, _, err := get(c, ts.URL+"/?"+tt.query)
			if tt.wantErr != errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && err != nil {
				t.Fatalf("err = %v", err)
			}
			if len(body) != tt.wantLen {
				t.Errorf("read %d bytes, want %d", len(body), tt.wantLen)
			}
		})
	}
}

func TestUserAgentHeader(t *testing.T) {
	var got atomic.Value
	ts := startServer(t, "tcp4", "127.0.0.1:0", http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("User-Agent"))
	}))
	ua := UserAgent("1.2.3", "https://blog.example")
	tests := []struct {
		name     string
		optUA    string
		callerUA string
		want     string
	}{
		{"set", ua, "", ua},
		{"overrides caller", ua, "curl/8", ua},
		{"unset keeps caller", "", "curl/8", "curl/8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, Options{AllowPrivateNetworks: true, UserAgent: tt.optUA}, nil)
			req, err := http.NewRequest(http.MethodGet, ts.URL+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.callerUA != "" {
				req.Header.Set("User-Agent", tt.callerUA)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if g, _ := got.Load().(string); g != tt.want {
				t.Errorf("server saw User-Agent %q, want %q", g, tt.want)
			}
			if g := req.Header.Get("User-Agent"); g != tt.callerUA {
				t.Errorf("caller's request was modified: User-Agent %q, want %q", g, tt.callerUA)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	tests := []struct {
		version, site, want string
	}{
		{"1.2.3", "https://blog.example", "Crosstalk/1.2.3 (+https://blog.example)"},
		{"0.1.0-dev", "http://localhost:8080", "Crosstalk/0.1.0-dev (+http://localhost:8080)"},
		{"1.2.3", "", "Crosstalk/1.2.3"},
		{"", "https://blog.example", "Crosstalk (+https://blog.example)"},
		{"", "", "Crosstalk"},
	}
	for _, tt := range tests {
		if got := UserAgent(tt.version, tt.site); got != tt.want {
			t.Errorf("UserAgent(%q, %q) = %q, want %q", tt.version, tt.site, got, tt.want)
		}
	}
}

func TestTimeout(t *testing.T) {
	ts := startServer(t, "tcp4", "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	for _, path := range []string{"/slow-headers", "/slow-body"} {
		t.Run(path, func(t *testing.T) {
			c := newTestClient(t, Options{AllowPrivateNetworks: true, Timeout: 200 * time.Millisecond}, nil)
			_, _, elapsed, err := get(c, ts.URL+path)
			var nerr net.Error
			if !errors.As(err, &nerr) || !nerr.Timeout() {
				t.Fatalf("err = %v, want a timeout error", err)
			}
			if elapsed > fastLimit {
				t.Errorf("took %v with a 200ms timeout", elapsed)
			}
		})
	}
}

func TestTransportSettings(t *testing.T) {
	tests := []struct {
		name        string
		opts        Options
		wantTimeout time.Duration
		wantBody    int64
	}{
		{"defaults", Options{}, 5 * time.Second, 1 << 20},
		{"defaults private", Options{AllowPrivateNetworks: true}, 5 * time.Second, 1 << 20},
		{"custom", Options{Timeout: 200 * time.Millisecond, MaxBodyBytes: 10}, 200 * time.Millisecond, 10},
		{"long", Options{Timeout: time.Minute}, time.Minute, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(tt.opts)
			rt, ok := c.Transport.(*transport)
			if !ok {
				t.Fatalf("Transport is %T", c.Transport)
			}
			if rt.base.Proxy != nil {
				t.Error("Transport.Proxy is set; environment proxies would bypass the address check")
			}
			if rt.base.DialContext == nil || rt.dialer.Control == nil {
				t.Error("dialer has no Control hook")
			}
			//nolint:staticcheck // SA1019: the deprecated hooks are read only to check that nothing set them
			if rt.base.DialTLSContext != nil || rt.base.Dial != nil || rt.base.DialTLS != nil {
				t.Error("an alternative dial function bypasses the guarded dialer")
			}
			if c.Timeout != tt.wantTimeout {
				t.Errorf("Client.Timeout = %v, want %v", c.Timeout, tt.wantTimeout)
			}
			if rt.maxBody != tt.wantBody {
				t.Errorf("max body = %d, want %d", rt.maxBody, tt.wantBody)
			}
			phase := min(5*time.Second, tt.wantTimeout)
			if rt.dialer.Timeout != phase || rt.base.TLSHandshakeTimeout != phase || rt.base.ResponseHeaderTimeout != phase {
				t.Errorf("phase timeouts dial=%v tls=%v header=%v, want %v",
					rt.dialer.Timeout, rt.base.TLSHandshakeTimeout, rt.base.ResponseHeaderTimeout, phase)
			}
			if c.CheckRedirect == nil {
				t.Error("CheckRedirect not set")
			}
			if c.Jar != nil {
				t.Error("cookie jar set")
			}
		})
	}
}

// TestPorts: with Ports set, a public address on another port is refused
// before any connection is made (control runs before connect).
func TestPorts(t *testing.T) {
	g := &guard{guardian: ssrf.New(ssrf.WithAnyPort()), ports: []uint16{80, 443}}
	for address, ok := range map[string]bool{"93.184.216.34:80": true, "93.184.216.34:443": true,
		"93.184.216.34:22": false, "93.184.216.34:8081": false, "[2606:2800:220:1:248:1893:25c8:1946]:6379": false} {
		err := g.control("tcp4", address, nil)
		if ok != (err == nil) || (err != nil && !errors.Is(err, ErrForbiddenAddress)) {
			t.Errorf("%s: %v, want allowed=%v", address, err, ok)
		}
	}
}
