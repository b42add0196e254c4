package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// technicalDetail matches what the writer must never see in a message:
// dial and resolver details, addresses with ports, Go package prefixes.
var technicalDetail = regexp.MustCompile(`dial tcp|lookup|\d+\.\d+\.\d+\.\d+|:\d{2,5}\b|trackback:|xmlrpc:|safeclient:|context deadline`)

// TestNotifyListPlainMessages: through the real engine and the outbox,
// against peers on 127.0.0.1, "Sites to notify" says what happened in plain
// words; the Go errors behind them stay in the log.
func TestNotifyListPlainMessages(t *testing.T) {
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entry := "http://" + r.Host + r.URL.Path
		switch r.Method + " " + r.URL.Path {
		case "GET /plain":
			_, _ = io.WriteString(w, "<p>Nothing to ping.</p>")
		case "GET /refuses", "GET /broken":
			_, _ = io.WriteString(w, "<html><body>"+trackback.RDFBlock(entry, "Entry", entry+"/tb")+"</body></html>")
		case "POST /refuses/tb":
			trackback.WriteError(w, http.StatusOK, "No pings from strangers")
		case "POST /broken/tb":
			http.Error(w, "database down", http.StatusServiceUnavailable)
		case "GET /wm":
			w.Header().Set("Link", `</wm/endpoint>; rel="webmention"`)
			_, _ = io.WriteString(w, "<p>note</p>")
		case "POST /wm/endpoint":
			http.Error(w, "Source does not link to target", http.StatusBadRequest)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(peer.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()

	e := newEnv(t)
	var log syncLog
	o := &jobs.Outbox{Store: e.store, Posts: e.store, Settings: e.store, BaseURL: testBaseURL,
		Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}),
		Log:    slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	e.outbox.Store(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	want := map[string]string{
		downURL + "/post":     "The site did not answer; it will be tried again.",
		peer.URL + "/plain":   "No TrackBack, Pingback or Webmention endpoint found on that page.",
		peer.URL + "/refuses": "The site refused: No pings from strangers.",
		peer.URL + "/broken":  "The site had an error (HTTP 503); it will be tried again.",
		peer.URL + "/wm":      "The site refused (HTTP 400): Source does not link to target.",
		peer.URL + "/missing": "The page was not found (HTTP 404); it will be tried again.",
	}
	var body strings.Builder
	for u := range want {
		fmt.Fprintf(&body, "See [this](%s).\n\n", u)
	}
	c, _ := e.admin()
	e.publish(c, "Many outcomes", body.String(), nil)
	id := e.postID("many-outcomes")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		ns, err := e.store.PostNotifications(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		tried := len(ns) == len(want)
		for _, n := range ns {
			tried = tried && (n.State.Settled() || n.State == models.NotifyQueued && n.Attempts > 0)
		}
		if tried {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not all tried: %+v", ns)
		}
	}

	for _, path := range []string{fmt.Sprintf("/admin/posts/%d/edit", id), fmt.Sprintf("/admin/posts/%d/notifications", id)} {
		t.Run(path, func(t *testing.T) {
			rows := byClass(parsePage(t, e.get(c, path).body), "notify-list")
			if len(rows) != 1 {
				t.Fatalf("%d notify lists", len(rows))
			}
			seen := 0
			for _, tr := range byClass(rows[0], "message") {
				row := tr.Parent
				target := textOf(byClass(row, "target")[0])
				msg := textOf(tr)
				if technicalDetail.MatchString(msg) {
					t.Errorf("%s: the page shows %q", target, msg)
				}
				if w, ok := want[target]; ok {
					seen++
					if msg != w {
						t.Errorf("%s: %q, want %q", target, msg, w)
					}
				}
			}
			if seen != len(want) {
				t.Errorf("%d of %d targets listed", seen, len(want))
			}
		})
	}
	if !strings.Contains(log.String(), "connection refused") {
		t.Errorf("the log lacks the technical detail:\n%s", log.String())
	}
}

// TestNotifyListHidesOldTechnicalMessages: a message stored by an earlier
// version, a Go error with resolver addresses, is not shown as it is.
func TestNotifyListHidesOldTechnicalMessages(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	e.publish(c, "Old message", "See [a](https://a.example/).", nil)
	id := e.postID("old-message")
	ctx := context.Background()
	claimed, err := e.store.ClaimNotifications(ctx, 1, time.Minute, 0)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	raw := `discovering https://a.example/: Get "https://a.example/": dial tcp: lookup a.example on 10.0.0.1:53: no such host`
	if _, err := e.store.FinishNotification(ctx, &claimed[0], models.NotificationResult{State: models.NotifyGaveUp, Message: raw}); err != nil {
		t.Fatal(err)
	}
	page := e.get(c, fmt.Sprintf("/admin/posts/%d/edit", id))
	mustContain(t, page.body, "The last attempt failed; the details are in the server log.")
	mustNotContain(t, page.body, "10.0.0.1", "dial tcp", "lookup a.example")
}

// syncLog is a log destination the outbox's goroutines may share.
type syncLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
