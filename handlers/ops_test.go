package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/crosstalk/crosstalk/models"
)

// newOpsEnv is the engine with /healthz, /metrics on a registry of the
// test's own, the given trusted proxies and the networks allowed besides
// loopback.
func newOpsEnv(t *testing.T, proxies []string, allow ...string) *testEnv {
	t.Helper()
	e := newEnv(t)
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	nets, err := parseProxies(allow) // the same syntax
	if err != nil {
		t.Fatal(err)
	}
	e.proxies = proxies
	e.extra = func(d *Deps) {
		d.Metrics = m
		d.Ops = Ops{Health: e.store, Metrics: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), MetricsAllow: nets}
	}
	e.srv.Config.Handler = e.engine(e.store, e.log)
	return e
}

// requestPaths records the paths of the requests logged at info level, and
// the messages of warnings.
type requestPaths struct {
	mu    sync.Mutex
	paths []string
}

func (r *requestPaths) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }
func (r *requestPaths) WithAttrs([]slog.Attr) slog.Handler           { return r }
func (r *requestPaths) WithGroup(string) slog.Handler                { return r }

func (r *requestPaths) Handle(_ context.Context, rec slog.Record) error {
	if rec.Level >= slog.LevelWarn {
		r.mu.Lock()
		r.paths = append(r.paths, rec.Message)
		r.mu.Unlock()
	}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "path" {
			r.mu.Lock()
			r.paths = append(r.paths, a.Value.String())
			r.mu.Unlock()
		}
		return true
	})
	return nil
}

func (r *requestPaths) logged() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.paths)
}

// TestHealthz: 200 "ok" while the database answers, 503 once it does not,
// never cached, with no error text; probes are not logged at info level.
func TestHealthz(t *testing.T) {
	e := newOpsEnv(t, nil)
	logs := &requestPaths{}
	e.log = slog.New(logs)
	e.srv.Config.Handler = e.engine(e.store, e.log)
	c := e.client()

	for _, method := range []string{"GET", "HEAD"} {
		res := e.do(c, method, "/healthz", nil)
		if res.status != http.StatusOK || res.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s /healthz: %d %q, Cache-Control %q", method, res.status, res.body, res.header.Get("Cache-Control"))
		}
		if method == "GET" && res.body != "ok\n" {
			t.Errorf("GET /healthz body %q, want ok", res.body)
		}
	}
	e.get(c, "/")
	if got := logs.logged(); slices.Contains(got, "/healthz") || !slices.Contains(got, "/") {
		t.Errorf("logged at info level: %q; want / but not the probes", got)
	}

	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	res := e.get(c, "/healthz")
	if res.status != http.StatusServiceUnavailable || res.body != "unavailable\n" || res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("closed store: %d %q, Cache-Control %q; want 503 unavailable", res.status, res.body, res.header.Get("Cache-Control"))
	}
	if !slices.Contains(logs.logged(), "health check: database unreachable") {
		t.Errorf("the failure is not logged: %q", logs.logged())
	}
}

// TestMetricsAccess: /metrics answers loopback and the allowed networks,
// and 404 to everyone else, including a client behind a proxy that is not
// trusted (its X-Forwarded-For cannot be believed, and it may be a public
// proxy on this very machine).
func TestMetricsAccess(t *testing.T) {
	behindProxy := newOpsEnv(t, []string{"127.0.0.1", "::1"}, "10.0.0.0/8")
	direct := newOpsEnv(t, nil, "10.0.0.0/8")
	tests := []struct {
		name    string
		e       *testEnv
		headers []string
		want    int
	}{
		{"loopback", direct, nil, http.StatusOK},
		{"loopback through a trusted proxy", behindProxy, nil, http.StatusOK},
		{"a stranger through a trusted proxy", behindProxy, []string{"X-Forwarded-For", "203.0.113.9"}, http.StatusNotFound},
		{"an allowed network through a trusted proxy", behindProxy, []string{"X-Forwarded-For", "10.1.2.3"}, http.StatusOK},
		{"forwarded by an untrusted proxy on loopback", direct, []string{"X-Forwarded-For", "10.1.2.3"}, http.StatusNotFound},
		{"Forwarded by an untrusted proxy on loopback", direct, []string{"Forwarded", "for=127.0.0.1"}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.e.get(tt.e.client(), "/") // something to count
			res := tt.e.do(tt.e.client(), "GET", "/metrics", nil, tt.headers...)
			if res.status != tt.want {
				t.Fatalf("status %d, want %d: %.300s", res.status, tt.want, res.body)
			}
			if tt.want == http.StatusOK && !strings.Contains(res.body, "# TYPE crosstalk_http_requests_total counter") {
				t.Errorf("no metrics in the answer:\n%.500s", res.body)
			}
			if tt.want == http.StatusNotFound && strings.Contains(res.body, "crosstalk_") {
				t.Errorf("metrics leaked to a stranger:\n%.500s", res.body)
			}
		})
	}
	// The engine itself, by the connection's address.
	engine := direct.engine(direct.store, direct.log)
	for addr, want := range map[string]int{"203.0.113.5:1234": http.StatusNotFound, "[2001:db8::1]:80": http.StatusNotFound,
		"10.9.9.9:5555": http.StatusOK, "[::1]:4000": http.StatusOK, "127.0.0.2:4000": http.StatusOK} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		engine.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("from %s: %d, want %d", addr, rec.Code, want)
		}
	}
}

// TestOpsHandler: the separate listener's handler serves /healthz and
// /metrics (with the same allow list), and nothing else.
func TestOpsHandler(t *testing.T) {
	e := newEnv(t)
	reg := prometheus.NewRegistry()
	if _, err := NewMetrics(reg); err != nil {
		t.Fatal(err)
	}
	h, err := NewOpsHandler(Ops{Health: e.store, Metrics: promhttp.HandlerFor(reg, promhttp.HandlerOpts{})}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tt := range []struct {
		path, header string
		want         int
	}{
		{"/healthz", "", http.StatusOK},
		{"/metrics", "", http.StatusOK},
		{"/metrics", "203.0.113.9", http.StatusNotFound}, // through a proxy that is not trusted
		{"/", "", http.StatusNotFound},
	} {
		req, _ := http.NewRequest("GET", srv.URL+tt.path, nil)
		if tt.header != "" {
			req.Header.Set("X-Forwarded-For", tt.header)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("%s (forwarded for %q): %d, want %d", tt.path, tt.header, res.StatusCode, tt.want)
		}
	}
}

// TestMetricsCount: after a few pages, an unknown address and linkbacks,
// /metrics counts requests by route pattern (never the raw path) and
// status class with latency histograms, and linkbacks by protocol and
// outcome; it shows no secret.
func TestMetricsCount(t *testing.T) {
	e := newOpsEnv(t, nil)
	admin, _ := e.admin()
	path := e.publish(admin, "Counted post", "Some text.", nil)
	post, err := e.store.PostBySlug(context.Background(), models.KindPost, "counted-post")
	if err != nil {
		t.Fatal(err)
	}
	reader := e.client()
	for range 3 {
		if res := e.get(reader, path); res.status != http.StatusOK {
			t.Fatalf("post page: %d", res.status)
		}
	}
	e.get(reader, "/no/such/thing/here")
	ping := url.Values{"url": {"http://other.example/entry"}, "title": {"A reply"}, "blog_name": {"Other"}}
	if res := e.raw("POST", "/trackback/"+strconv.FormatInt(post.ID, 10), formCT, []byte(ping.Encode())); !strings.Contains(res.body, "<error>0</error>") {
		t.Fatalf("trackback: %d %s", res.status, res.body)
	}
	mention := url.Values{"source": {"http://other.example/note"}, "target": {testBaseURL + "/2020/01/nothing-here"}}
	if res := e.raw("POST", "/webmention", formCT, []byte(mention.Encode())); res.status != http.StatusBadRequest {
		t.Fatalf("webmention to no post: %d %s", res.status, res.body)
	}

	res := e.get(e.client(), "/metrics")
	if res.status != http.StatusOK {
		t.Fatalf("/metrics: %d", res.status)
	}
	mustContain(t, res.body,
		`crosstalk_http_requests_total{method="GET",route="/:year/:month/:slug",status="2xx"} 3`,
		`crosstalk_http_requests_total{method="GET",route="unmatched",status="4xx"} 1`,
		`crosstalk_http_requests_total{method="POST",route="/admin/posts",status="3xx"} 1`,
		`crosstalk_http_request_duration_seconds_bucket{method="GET",route="/:year/:month/:slug",le="0.005"}`,
		`crosstalk_http_request_duration_seconds_count{method="GET",route="/:year/:month/:slug"} 3`,
		`crosstalk_linkbacks_received_total{outcome="accepted",protocol="trackback"} 1`,
		`crosstalk_linkbacks_received_total{outcome="unknown_target",protocol="webmention"} 1`,
	)
	mustNotContain(t, res.body, path, "/no/such", testPassword, e.token, "other.example", "session")
}
