package handlers

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/sessions"
	"golang.org/x/crypto/bcrypt"

	"github.com/crosstalk/crosstalk/assets"
	"github.com/crosstalk/crosstalk/handlers/pagecache"
	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/storetest"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/views"
)

// testEnv is the real gin engine on a real SQLite file, served over HTTP.
type testEnv struct {
	limits PingLimits
	t      testing.TB
	store  *models.Store
	srv    *httptest.Server
	clock  *fakeClock
	token  string
	// maxUpload is the media size cap; 0 is the default.
	maxUpload int64
	// wakes counts the handlers' calls to WakeOutbox.
	wakes atomic.Int64
	// outbox, if set, is woken by them.
	outbox atomic.Pointer[jobs.Outbox]
	// proxies may set X-Forwarded-For (newEnvBehindProxy).
	proxies []string
	log     *slog.Logger
	// extra, if set, adds to the Deps before the engine is built.
	extra func(*Deps)
	// rateLimits and changes, if set, are the engines' shared limits and
	// change bus (newTwoInstances).
	rateLimits RateStore
	changes    ChangeBus
	// pages is the page cache every test runs with, as production does.
	pages *pagecache.Cache
}

// fakeClock is the tests' settable clock.
type fakeClock = storetest.Clock

func init() { gin.SetMode(gin.TestMode) }

// testBaseURL is the blog's public address in tests.
const testBaseURL = "http://blog.test"

func newEnv(t testing.TB) *testEnv { return newEnvWith(t, models.Options{}, PingLimits{}) }

// newEnvWith builds the environment with store options (a query hook) and ping limits.
func newEnvWith(t testing.TB, opts models.Options, limits PingLimits) *testEnv {
	return newEnvConfig(t, opts, limits, 0)
}

// newEnvConfig builds the environment with store options, ping limits and a
// media size cap (0: the default).
func newEnvConfig(t testing.TB, opts models.Options, limits PingLimits, maxUpload int64) *testEnv {
	t.Helper()
	return newEnvAt(t, storetest.Target(t), opts, limits, maxUpload)
}

// newEnvAt builds the environment on the database at target (from
// storetest.Target), for tests that seed it directly with storetest.Exec.
func newEnvAt(t testing.TB, target string, opts models.Options, limits PingLimits, maxUpload int64) *testEnv {
	t.Helper()
	clock := storetest.NewClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	opts.Now = clock.Now
	if opts.BaseURL == "" {
		opts.BaseURL = testBaseURL
	}
	store, err := models.Open(context.Background(), target, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := &testEnv{t: t, store: store, clock: clock, token: "setup-token", limits: limits, maxUpload: maxUpload,
		pages: pagecache.New(pagecache.Options{MaxBytes: 8 << 20, Now: clock.Now})}
	e.log = slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	e.srv = httptest.NewServer(e.engine(store, e.log))
	t.Cleanup(e.srv.Close)
	return e
}

// engine is the handler as served, less forwardedFilter: the gin engine
// behind the page cache's front.
func (e *testEnv) engine(store *models.Store, log *slog.Logger) http.Handler {
	e.t.Helper()
	a, err := assets.Load(assets.Embedded())
	if err != nil {
		e.t.Fatal(err)
	}
	v, err := views.New(views.Embedded(), views.Options{AssetURL: a.URL})
	if err != nil {
		e.t.Fatal(err)
	}
	cs := sessions.NewCookieStore([]byte("0123456789abcdef0123456789abcdef"), []byte("0123456789abcdef"))
	cs.Options = &sessions.Options{Path: "/", MaxAge: 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	d := Deps{Posts: store, Feedback: store, Users: store, Settings: store, Notifications: store,
		AppPasswords: store, Media: store, MaxUploadBytes: e.maxUpload, Views: v, Assets: a, Markdown: markup.New(markup.WithMedia(store)),
		Sessions: cs, Log: log, BaseURL: testBaseURL, TrustedProxies: e.proxies, SetupToken: e.token, Now: e.clock.Now, PingLimits: e.limits,
		RateLimits: e.rateLimits, Changes: e.changes, PageCache: e.pages, OldLinks: store,
		Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}), WakeOutbox: func() {
			e.wakes.Add(1)
			if o := e.outbox.Load(); o != nil {
				o.Wake()
			}
		}}
	if e.extra != nil {
		e.extra(&d)
	}
	h, err := newFront(d)
	if err != nil {
		e.t.Fatal(err)
	}
	return h
}

// queue is the moderation queue as the handlers write it: tests that
// moderate through the store drop the cached pages as the admin would.
func (e *testEnv) queue() models.FeedbackStore {
	return pageWatchedFeedback{FeedbackStore: e.store, pages: e.pages}
}

// newEnvBehindProxy trusts the test's own connections as a proxy, so an
// X-Forwarded-For header names the client: for tests of per-address limits.
func newEnvBehindProxy(t testing.TB) *testEnv {
	e := newEnv(t)
	e.proxies = []string{"127.0.0.1", "::1"}
	e.srv.Config.Handler = e.engine(e.store, e.log) // before any request
	return e
}

// client is a browser-like client with cookies that does not follow redirects.
func (e *testEnv) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *testEnv) do(c *http.Client, method, path string, form url.Values, headers ...string) response {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (e *testEnv) get(c *http.Client, path string) response { return e.do(c, "GET", path, nil) }

// raw sends body as is, with the given content type, from a cookie-less client.
func (e *testEnv) raw(method, path, contentType string, body []byte) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return e.send(e.client(), req)
}

// send makes the request with c and reads the whole answer.
func (e *testEnv) send(c *http.Client, req *http.Request) response {
	e.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// post sends a form with the CSRF token found on the page at tokenFrom.
func (e *testEnv) post(c *http.Client, tokenFrom, path string, form url.Values) response {
	e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", csrfFrom(e.t, e.get(c, tokenFrom).body))
	return e.do(c, "POST", path, form)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]+)"`)

func csrfFrom(t testing.TB, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf token in page:\n%.500s", page)
	}
	return m[1]
}

const testPassword = "correct horse battery"

// admin creates the account and returns a logged-in client.
func (e *testEnv) admin() (*http.Client, *models.User) {
	e.t.Helper()
	// The lowest bcrypt cost keeps the many test logins fast; the production
	// cost is exercised by the setup test and the models tests.
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &models.User{Name: "admin", Email: "admin@example.com", PasswordHash: string(hash)}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	res := e.post(c, "/login", "/login", url.Values{"login": {"admin"}, "password": {testPassword}, "next": {"/admin"}})
	if res.status != http.StatusSeeOther {
		e.t.Fatalf("login: %d %.300s", res.status, res.body)
	}
	return c, u
}

// publish writes a post through the editor and returns its permalink path.
func (e *testEnv) publish(c *http.Client, title, body string, extra url.Values) string {
	e.t.Helper()
	form := url.Values{"title": {title}, "body": {body}, "status": {"published"}, "allow_comments": {"1"}, "allow_pings": {"1"}, "kind": {"post"}}
	for k, v := range extra {
		form[k] = v
	}
	res := e.post(c, "/admin/posts/new", "/admin/posts", form)
	if res.status != http.StatusSeeOther {
		e.t.Fatalf("publish %q: %d %.500s", title, res.status, res.body)
	}
	p, err := e.store.PostBySlug(context.Background(), models.KindPost, models.Slugify(title))
	if err != nil {
		e.t.Fatalf("published post not found: %v", err)
	}
	return p.Path()
}

func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q:\n%.1500s", w, body)
		}
	}
}

func mustNotContain(t testing.TB, body string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(body, w) {
			t.Errorf("body must not contain %q", w)
		}
	}
}

// testLogWriter sends the server's warnings and errors to the test log.
type testLogWriter struct{ t testing.TB }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
