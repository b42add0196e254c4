package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
)

// call GETs or POSTs (with a form) u and returns the status and body.
func call(t *testing.T, u string, form url.Values) (int, string) {
	t.Helper()
	var res *http.Response
	var err error
	if form == nil {
		res, err = http.Get(u)
	} else {
		res, err = http.PostForm(u, form)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestMetricsListener runs the whole blog with --metrics-addr: /metrics is
// answered there only (404 on the blog's own address), with the process,
// Go runtime, database pool, HTTP, linkback, outbox and verifier metrics
// after a page, a Webmention and a TrackBack sent; no secret is in it.
func TestMetricsListener(t *testing.T) {
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			_, _ = io.WriteString(w, trackback.RDFBlock("http://"+r.Host+r.URL.Path, "E", "http://"+r.Host+"/tb"))
			return
		}
		trackback.WriteSuccess(w)
	}))
	defer remote.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	blog := "http://" + ln.Addr().String()
	cfg := config{Addr: ln.Addr().String(), DB: filepath.Join(t.TempDir(), "blog.db"), BaseURL: blog,
		AllowPrivateNetwork: true, MetricsAddr: metricsLn.Addr().String()}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := newApp(ctx, cfg, newLogger(&lockedBuffer{}, false))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, metricsLn) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	u := &models.User{Name: "w", Email: "w@example.com", PasswordHash: "x"}
	if err := a.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	p := &models.Post{Kind: models.KindPost, AuthorID: u.ID, Title: "Out", Slug: "out", Body: "b", Status: models.StatusPublished,
		BodyHTML: `<a href="` + remote.URL + `/entry">x</a>`, PublishedAt: &now, AllowPings: true}
	if err := a.store.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	a.outbox.Wake()
	if code, _ := call(t, blog+p.Path(), nil); code != http.StatusOK {
		t.Fatalf("post page: %d", code)
	}
	if code, body := call(t, blog+"/webmention", url.Values{"source": {remote.URL + "/reply"}, "target": {blog + p.Path()}}); code != http.StatusCreated {
		t.Fatalf("webmention: %d %s", code, body)
	}
	if code, _ := call(t, blog+"/metrics", nil); code != http.StatusNotFound {
		t.Errorf("/metrics on the blog's address with --metrics-addr: %d, want 404", code)
	}
	if code, body := call(t, blog+"/healthz", nil); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}

	wants := []string{
		`crosstalk_outbox_outcomes_total{protocol="trackback",state="sent"} 1`,
		`crosstalk_outbox_notifications{state="queued"} 0`,
		`crosstalk_outbox_notifications{state="working"} 0`,
		`crosstalk_linkbacks_received_total{outcome="accepted",protocol="webmention"} 1`,
		`crosstalk_verifications_total{outcome="failed",protocol="webmention"} 1`, // the source does not link back,
		`crosstalk_http_requests_total{method="GET",route="/:year/:month/:slug",status="2xx"} 1`,
		`crosstalk_http_request_duration_seconds_count{method="POST",route="/webmention"} 1`,
		`go_sql_open_connections{db_name="writer"}`,
		`go_sql_max_open_connections{db_name="readers"} 8`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	}
	var body string
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var code int
		code, body = call(t, "http://"+metricsLn.Addr().String()+"/metrics", nil)
		missing := ""
		for _, w := range wants {
			if !strings.Contains(body, w) {
				missing = w
				break
			}
		}
		if code == http.StatusOK && missing == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics: %d, lacks %q:\n%s", code, missing, body)
		}
	}
	hashKey, err := a.store.EnsureSetting(ctx, models.SettingSessionHashKey, "unused")
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{hashKey, a.setupToken, cfg.DB, "/entry", "/reply"} {
		if strings.Contains(body, secret) {
			t.Errorf("/metrics shows %q", secret)
		}
	}
}

// TestCacheMetrics: the page cache's counters, when wired, are read at
// each scrape as hits, misses and their ratio.
func TestCacheMetrics(t *testing.T) {
	store, err := models.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "blog.db"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var hits, misses uint64
	m, err := newMetrics(store, func() (uint64, uint64) { return hits, misses }, newLogger(io.Discard, false))
	if err != nil {
		t.Fatal(err)
	}
	value := func(name string) float64 {
		t.Helper()
		families, err := m.reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			if f.GetName() == name {
				if c := f.GetMetric()[0].GetCounter(); c != nil {
					return c.GetValue()
				}
				return f.GetMetric()[0].GetGauge().GetValue()
			}
		}
		t.Fatalf("no metric %s", name)
		return 0
	}
	if r := value("crosstalk_page_cache_hit_ratio"); r != 0 {
		t.Errorf("ratio before any page: %v, want 0", r)
	}
	hits, misses = 3, 1
	if h, n, r := value("crosstalk_page_cache_hits_total"), value("crosstalk_page_cache_misses_total"),
		value("crosstalk_page_cache_hit_ratio"); h != 3 || n != 1 || r != 0.75 {
		t.Errorf("hits %v, misses %v, ratio %v; want 3, 1, 0.75", h, n, r)
	}
}

// TestDeliveryMetrics: each recorded fediverse delivery outcome is
// counted by activity type: sent, retried (queued again) or failed
// (refused, or given up).
func TestDeliveryMetrics(t *testing.T) {
	store, err := models.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "blog.db"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m, err := newMetrics(store, nil, newLogger(io.Discard, false))
	if err != nil {
		t.Fatal(err)
	}
	d := &jobs.Deliveries{}
	m.watch(&jobs.Outbox{}, &jobs.Verifier{}, d)
	for _, o := range []struct {
		typ   string
		state models.NotificationState
	}{{"Create", models.NotifySent}, {"Create", models.NotifySent}, {"Create", models.NotifyQueued},
		{"Delete", models.NotifyFailed}, {"Accept", models.NotifyGaveUp}} {
		d.Finished(o.typ, o.state)
	}
	for labels, want := range map[[2]string]float64{{"Create", "sent"}: 2, {"Create", "retried"}: 1, {"Delete", "failed"}: 1, {"Accept", "failed"}: 1} {
		var pb dto.Metric
		if err := m.deliveries.WithLabelValues(labels[0], labels[1]).Write(&pb); err != nil {
			t.Fatal(err)
		}
		if got := pb.GetCounter().GetValue(); got != want {
			t.Errorf("%v: %v, want %v", labels, got, want)
		}
	}
}
