package jobs

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// technical matches what must never reach the writer's page: dial and
// lookup details, addresses with ports, Go package prefixes.
var technical = regexp.MustCompile(`dial tcp|lookup|\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:]+\]|:\d{2,5}\b|trackback:|xmlrpc:|safeclient:|context deadline|Client\.Timeout`)

// peer is a remote site whose pages answer as the test needs; /hang
// answers only once the test is over.
func peer(t *testing.T) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hang":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/tb-refuses":
			_, _ = w.Write(trackback.ResponseBody("Spam protection:\n try later", true))
		case "/tb-503":
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		case "/wm-400":
			http.Error(w, "Source does not link to target", http.StatusBadRequest)
		case "/wm-400-silent":
			w.WriteHeader(http.StatusBadRequest)
		case "/wm-429":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/pb-fault":
			var buf bytes.Buffer
			_ = xmlrpc.EncodeFault(&buf, 17, "The source URI does not contain a link to the target URI.")
			_, _ = w.Write(buf.Bytes())
		case "/plain":
			_, _ = w.Write([]byte("<p>No endpoint here.</p>"))
		case "/missing":
			http.NotFound(w, r)
		default:
			http.Error(w, "unexpected "+r.URL.Path, http.StatusTeapot)
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first, so Close does not wait for /hang
	return srv
}

// TestDescribePlainLanguage: every outcome the outbox records is told in
// plain words, from the errors the real clients return; the technical
// detail those errors carry (dial and resolver addresses) never is.
func TestDescribePlainLanguage(t *testing.T) {
	ctx := context.Background()
	srv := peer(t)
	client := safeclient.New(safeclient.Options{AllowPrivateNetworks: true, Timeout: 200 * time.Millisecond})
	downURL := closedURL(t)
	ping := trackback.Ping{Title: "T", URL: "https://blog.example/2026/11/t", BlogName: "B"}
	// A resolver failure as net reports it, wrapped the way the HTTP client does.
	dnsErr := fmt.Errorf("trackback: discovering https://nowhere.example/: %w", &url.Error{Op: "Get", URL: "https://nowhere.example/",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "nowhere.example", Server: "10.0.0.1:53", IsNotFound: true}}})
	resolverTimeout := &url.Error{Op: "Get", URL: "https://slow.example/",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "i/o timeout", Name: "slow.example", Server: "10.0.0.1:53", IsTimeout: true}}}
	_, refusedErr := trackback.Discover(ctx, client, downURL+"/post")
	_, hangErr := trackback.Discover(ctx, client, srv.URL+"/hang")
	_, forbiddenErr := trackback.Discover(ctx, safeclient.New(safeclient.Options{}), srv.URL+"/plain")
	_, noEndpointErr := trackback.Discover(ctx, client, srv.URL+"/plain")
	_, missingErr := trackback.Discover(ctx, client, srv.URL+"/missing")
	_, faultErr := xmlrpc.Call(ctx, client, srv.URL+"/pb-fault", "pingback.ping", ping.URL, srv.URL+"/x")
	tests := []struct {
		name string
		err  error
		// detail is what the error's own text says that the writer must not see.
		detail string
		want   string
	}{
		{"connection refused", refusedErr, "dial tcp 127.0.0.1:", "The site did not answer."},
		{"no answer in time", hangErr, "127.0.0.1:", "The site did not answer."},
		{"name does not resolve", dnsErr, "lookup nowhere.example on 10.0.0.1:53", "The site did not answer."},
		{"resolver timeout", resolverTimeout, "10.0.0.1:53", "The site did not answer."},
		{"deadline", fmt.Errorf("trackback: sending ping to https://x.example/tb: %w", context.DeadlineExceeded), "deadline", "The site did not answer."},
		{"private address", forbiddenErr, "dial tcp 127.0.0.1", "Not sent: the address is on a private or reserved network."},
		{"no endpoint", noEndpointErr, "trackback:", "No TrackBack, Pingback or Webmention endpoint found on that page."},
		{"page missing", missingErr, "404", "The page was not found (HTTP 404)."},
		{"TrackBack error", trackback.Send(ctx, client, srv.URL+"/tb-refuses", ping), "trackback:", "The site refused: Spam protection: try later."},
		{"TrackBack endpoint down", trackback.Send(ctx, client, srv.URL+"/tb-503", ping), "503 Service Unavailable", "The site had an error (HTTP 503)."},
		{"Webmention refused with a reason", trackback.SendWebmention(ctx, client, srv.URL+"/wm-400", ping.URL, srv.URL+"/x"), "trackback:",
			"The site refused (HTTP 400): Source does not link to target."},
		{"Webmention refused silently", trackback.SendWebmention(ctx, client, srv.URL+"/wm-400-silent", ping.URL, srv.URL+"/x"), "trackback:",
			"The site refused (HTTP 400)."},
		{"Webmention rate limited", trackback.SendWebmention(ctx, client, srv.URL+"/wm-429", ping.URL, srv.URL+"/x"), "429",
			"The site asked to wait (HTTP 429)."},
		{"Pingback fault", faultErr, "", "The site refused: The source URI does not contain a link to the target URI."},
		{"gone", &trackback.HTTPError{StatusCode: 410, Status: "410 Gone"}, "410 Gone", "The page is gone (HTTP 410)."},
		{"server error with a TrackBack message", &trackback.HTTPError{StatusCode: 500, Status: "500 Oops", Message: "database down"},
			"500 Oops", "The site had an error (HTTP 500): database down."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("the fixture produced no error")
			}
			if !strings.Contains(tt.err.Error(), tt.detail) {
				t.Fatalf("fixture %q lacks %q: the case tests nothing", tt.err, tt.detail)
			}
			got := describe(tt.err)
			if got != tt.want {
				t.Errorf("describe(%q)\n = %q\nwant %q", tt.err, got, tt.want)
			}
			if m := technical.FindString(got); m != "" {
				t.Errorf("describe(%q) = %q shows %q", tt.err, got, m)
			}
			if retryable(tt.err) {
				if again := willRetry(got); !strings.HasSuffix(again, "; it will be tried again.") || technical.MatchString(again) {
					t.Errorf("willRetry(%q) = %q", got, again)
				}
			}
		})
	}
	if got := willRetry("The site had an error (HTTP 503)."); got != "The site had an error (HTTP 503); it will be tried again." {
		t.Errorf("willRetry = %q", got)
	}
}

// TestOutboxMessagesPlainDetailLogged: through the outbox, a site that
// refuses connections is recorded as "did not answer" (to be tried again,
// then given up), and the technical detail is in the log.
func TestOutboxMessagesPlainDetailLogged(t *testing.T) {
	target := closedURL(t) + "/post"
	b := newBlog(t)
	p := b.publish("Linking to a site that is down", "", nil, target)
	var log bytes.Buffer // written under the handler's lock; read once the outbox stopped
	o := b.outbox(1)
	o.Log = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	o.Retry = Backoff{First: time.Hour}

	stop := run(o)
	n := waitFor(t, b, p.ID, func(n models.Notification) bool { return n.Attempts >= 1 && n.State == models.NotifyQueued })
	stop()
	if n.State != models.NotifyQueued || n.LastMessage != "The site did not answer; it will be tried again." {
		t.Errorf("after a refused connection: %s %q", n.State, n.LastMessage)
	}
	if !strings.Contains(log.String(), "connection refused") {
		t.Errorf("the log lacks the detail:\n%s", log.String())
	}

	// With no retries left, the same failure is given up, in the same words.
	o.Retry = Backoff{Attempts: 1}
	p = b.publish("Linking to it again", "", nil, target)
	stop = run(o)
	ns := b.waitSettled(p.ID, 10*time.Second)
	stop()
	if len(ns) != 1 || ns[0].State != models.NotifyGaveUp || ns[0].LastMessage != "The site did not answer." {
		t.Errorf("given up: %+v", ns)
	}
}

// closedURL is the address of a server that has stopped: connections to it
// are refused.
func closedURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// waitFor waits until the post's only notification satisfies ok.
func waitFor(t *testing.T, b *blog, postID int64, ok func(models.Notification) bool) models.Notification {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ns, err := b.store.PostNotifications(t.Context(), postID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) == 1 && ok(ns[0]) {
			return ns[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("notification never got there: %+v", ns)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
