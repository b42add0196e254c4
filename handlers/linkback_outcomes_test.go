package handlers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// What the writer and the senders are told about linkbacks that did not go
// through: Pingback faults for a source that fails, plain words in "Sites to
// notify" for a notification that fails.

// TestPingbackUpstreamFault: through the real engine, a source whose server
// answers 5xx or cannot be reached gets fault 50, a missing or gone source
// fault 16, and nothing is stored. (A source that does not answer in time
// is covered in models/intake with a short client timeout.)
func TestPingbackUpstreamFault(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	target := testBaseURL + e.publish(c, "Upstream", "x", nil)
	// The peer answers the status its path names: /500, /404…
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.WriteHeader(code)
	}))
	t.Cleanup(peer.Close)
	downURL := closedURL(t)
	tests := []struct {
		name   string
		source string
		code   int
		msg    string
	}{
		{"500", peer.URL + "/500", xmlrpcapi.FaultUpstream, "The source URI could not be retrieved because of an upstream error."},
		{"502", peer.URL + "/502", xmlrpcapi.FaultUpstream, "The source URI could not be retrieved because of an upstream error."},
		{"connection refused", downURL + "/post", xmlrpcapi.FaultUpstream, "The source URI could not be retrieved because of an upstream error."},
		{"404", peer.URL + "/404", xmlrpcapi.FaultSourceMissing, "The source URI could not be read."},
		{"410", peer.URL + "/410", xmlrpcapi.FaultSourceMissing, "The source URI could not be read."},
		{"not http", "ftp://src.example/x", xmlrpcapi.FaultSourceMissing, "not a valid http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.rpc("pingback.ping", tt.source, target)
			wantFault(t, err, tt.code, tt.msg)
			if n := len(linkbacksOf(t, e, models.FeedbackPingback)); n != 0 {
				t.Errorf("%d pingbacks stored", n)
			}
		})
	}
}

// TestPingbackMulticallRefused: the XML-RPC server has no system.multicall,
// so one request cannot fan out into many pingback.ping calls: the call is
// refused as an unknown method before anything is fetched, stored or
// charged, and pingback.ping itself stays limited per address.
func TestPingbackMulticallRefused(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 2, PerPostPerMinute: 1000})
	c, _ := e.admin()
	targets := []string{testBaseURL + e.publish(c, "First", "x", nil), testBaseURL + e.publish(c, "Second", "x", nil),
		testBaseURL + e.publish(c, "Third", "x", nil)}
	var fetches atomic.Int64
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		fmt.Fprintf(w, `<a href="%s">a</a> <a href="%s">b</a> <a href="%s">c</a>`, targets[0], targets[1], targets[2])
	}))
	t.Cleanup(src.Close)

	var calls []any
	for i := range 20 {
		calls = append(calls, map[string]any{"methodName": "pingback.ping",
			"params": []any{fmt.Sprintf("%s/fan/%d", src.URL, i), targets[i%len(targets)]}})
	}
	_, err := e.rpc("system.multicall", calls)
	wantFault(t, err, xmlrpc.CodeMethodNotFound, "system.multicall")
	if n := len(linkbacksOf(t, e, models.FeedbackPingback)); n != 0 || fetches.Load() != 0 {
		t.Fatalf("system.multicall stored %d pingbacks and fetched %d sources", n, fetches.Load())
	}
	if methods := asArray(t, e.mustRPC("system.listMethods")); len(methods) == 0 {
		t.Fatal("no methods listed")
	} else {
		for _, m := range methods {
			if m == "system.multicall" {
				t.Error("system.multicall is listed")
			}
		}
	}

	// The refused multicall charged nothing: two pingbacks pass, the third
	// from the same address is refused whatever post it names.
	for i, tgt := range targets[:2] {
		if _, err := e.rpc("pingback.ping", fmt.Sprintf("%s/one/%d", src.URL, i), tgt); err != nil {
			t.Fatalf("pingback %d: %v", i, err)
		}
	}
	_, err = e.rpc("pingback.ping", src.URL+"/one/2", targets[2])
	wantFault(t, err, xmlrpcapi.FaultAccessDenied, "Too many pingbacks from this address")
	if n := len(linkbacksOf(t, e, models.FeedbackPingback)); n != 2 || fetches.Load() != 2 {
		t.Errorf("%d pingbacks stored, %d sources fetched; want 2 and 2", n, fetches.Load())
	}
}

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
	downURL := closedURL(t)

	e := newEnv(t)
	var log bytes.Buffer // written under the handler's lock; read once the outbox stopped
	o := &jobs.Outbox{Store: e.store, Posts: e.store, Settings: e.store, BaseURL: testBaseURL,
		Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}),
		Log:    slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	e.outbox.Store(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	stopped := false
	stop := func() {
		if !stopped {
			cancel()
			<-done
			stopped = true
		}
	}
	defer stop()

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
	stop()
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
	raw := `discovering https://a.example/: Get "https://a.example/": dial tcp: lookup a.example on 10.0.0.1:53: no such host`
	e.settleOne(models.NotificationResult{State: models.NotifyGaveUp, Message: raw})
	page := e.get(c, fmt.Sprintf("/admin/posts/%d/edit", id))
	mustContain(t, page.body, "The last attempt failed; the details are in the server log.")
	mustNotContain(t, page.body, "10.0.0.1", "dial tcp", "lookup a.example")
}

// closedURL is the address of a server that has stopped: connections to it
// are refused.
func closedURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// settleOne claims the only due notification and records r as its outcome.
func (e *testEnv) settleOne(r models.NotificationResult) models.Notification {
	e.t.Helper()
	ctx := context.Background()
	claimed, err := e.store.ClaimNotifications(ctx, 1, time.Minute, 0)
	if err != nil || len(claimed) != 1 {
		e.t.Fatalf("claim: %v %v", claimed, err)
	}
	if _, err := e.store.FinishNotification(ctx, &claimed[0], r); err != nil {
		e.t.Fatal(err)
	}
	return claimed[0]
}
