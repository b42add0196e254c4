package jobs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

const testBase = "http://blog.test"

// remote is an httptest server playing remote blogs. It counts every
// request by method and path and keeps the TrackBack forms it receives.
type remote struct {
	*httptest.Server
	mux *http.ServeMux

	mu    sync.Mutex
	hits  map[string]int
	forms map[string][]url.Values
	ctype map[string]string
}

func newRemote(t testing.TB) *remote {
	r := &remote{mux: http.NewServeMux(), hits: map[string]int{}, forms: map[string][]url.Values{}, ctype: map[string]string{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.hits[req.Method+" "+req.URL.Path]++
		r.mu.Unlock()
		r.mux.ServeHTTP(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

// count is how many requests method path received.
func (r *remote) count(method, path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hits[method+" "+path]
}

// page serves an HTML page at path.
func (r *remote) page(path, html string) {
	r.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, html)
	})
}

// entry serves an entry page at path advertising its TrackBack URL pingPath
// the way Movable Type does (RDF in a comment), and the ping URL itself.
func (r *remote) entry(path, pingPath string, answer func(n int) (status int, body string)) {
	r.page(path, "<html><body><h1>Entry</h1>\n"+trackback.RDFBlock(r.URL+path, "Entry", r.URL+pingPath)+"</body></html>")
	r.pingURL(pingPath, answer)
}

// pingURL receives TrackBacks at path; answer gives the reply to the n-th.
func (r *remote) pingURL(path string, answer func(n int) (status int, body string)) {
	r.mux.HandleFunc("POST "+path, func(w http.ResponseWriter, req *http.Request) {
		_ = req.ParseForm()
		r.mu.Lock()
		r.forms[path] = append(r.forms[path], req.PostForm)
		r.ctype[path] = req.Header.Get("Content-Type")
		n := len(r.forms[path])
		r.mu.Unlock()
		status, body := answer(n)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// received returns the TrackBack forms received at path.
func (r *remote) received(path string) []url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]url.Values(nil), r.forms[path]...)
}

// contentType is the Content-Type of the last TrackBack received at path.
func (r *remote) contentType(path string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ctype[path]
}

func accept(int) (int, string) { return http.StatusOK, string(trackback.ResponseBody("", false)) }

// blog is a store with one author, and an outbox over it.
type blog struct {
	t      testing.TB
	path   string
	store  *models.Store
	author *models.User
}

func newBlog(t testing.TB) *blog {
	t.Helper()
	b := &blog{t: t, path: filepath.Join(t.TempDir(), "blog.db")}
	b.open()
	u := &models.User{Name: "writer", Email: "w@example.com", PasswordHash: "x"}
	if err := b.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	b.author = u
	if err := b.store.SetSettings(context.Background(), map[string]string{models.SettingTitle: "Crosstalk Test Blog"}); err != nil {
		t.Fatal(err)
	}
	return b
}

// open (re)opens the database file, as a restarted process would.
func (b *blog) open() {
	b.t.Helper()
	s, err := models.OpenSQLite(context.Background(), b.path, models.Options{BaseURL: testBase})
	if err != nil {
		b.t.Fatal(err)
	}
	b.store = s
	b.t.Cleanup(func() { s.Close() })
}

// publish stores a published post whose text links to links.
func (b *blog) publish(title, excerpt string, pingURLs []string, links ...string) *models.Post {
	b.t.Helper()
	var body strings.Builder
	for _, l := range links {
		fmt.Fprintf(&body, `<p>See <a href="%s">this</a>.</p>`, l)
	}
	now := time.Now().UTC()
	p := &models.Post{Kind: models.KindPost, AuthorID: b.author.ID, Title: title, Slug: models.Slugify(title),
		Body: "text", BodyHTML: body.String(), Excerpt: excerpt, Status: models.StatusPublished, PublishedAt: &now,
		AllowPings: true, PingURLs: strings.Join(pingURLs, "\n")}
	if err := b.store.CreatePost(context.Background(), p, nil); err != nil {
		b.t.Fatal(err)
	}
	return p
}

// outbox is an Outbox on the blog's store through a safe client that may
// reach the test servers, with short timeouts and quick retries.
func (b *blog) outbox(workers int) *Outbox {
	return &Outbox{
		Store: b.store, Posts: b.store, Settings: b.store,
		Client:  safeclient.New(safeclient.Options{AllowPrivateNetworks: true, Timeout: 500 * time.Millisecond, UserAgent: safeclient.UserAgent("test", testBase)}),
		BaseURL: testBase, Log: slog.New(slog.NewTextHandler(testWriter{b.t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Workers: workers, Poll: time.Second,
		Retry: Backoff{First: 5 * time.Millisecond, Max: 20 * time.Millisecond, Total: 20 * time.Millisecond},
	}
}

// run starts o and returns a function that stops it and waits for it.
func run(o *Outbox) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	o.Wake()
	return func() { cancel(); <-done }
}

// waitSettled waits until no notification of the post is on its way.
func (b *blog) waitSettled(postID int64, within time.Duration) []models.Notification {
	b.t.Helper()
	deadline := time.Now().Add(within)
	for {
		ns, err := b.store.PostNotifications(context.Background(), postID)
		if err != nil {
			b.t.Fatal(err)
		}
		busy := false
		for _, n := range ns {
			busy = busy || n.State.InFlight()
		}
		if !busy {
			return ns
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("notifications still on their way after %v: %+v", within, ns)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
