package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// notifyBrowser starts headless Chromium for one test. Without Chromium the
// test is skipped, unless CROSSTALK_BROWSER_TESTS=required (as in CI).
func notifyBrowser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CROSSTALK_BROWSER_TESTS") == "required" {
			t.Fatal("Chromium is required for the browser tests")
		}
		t.Skip("browser tests need Chromium: apt-get install chromium, or set CROSSTALK_BROWSER_TESTS=required to make this a failure")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// TestNotifyListUpdatesInPlace opens the editor while a TrackBack is on its
// way and watches its row turn to "sent" without the page reloading.
func TestNotifyListUpdatesInPlace(t *testing.T) {
	release := make(chan struct{})
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			_, _ = io.WriteString(w, trackback.RDFBlock("http://"+r.Host+r.URL.Path, "Entry", "http://"+r.Host+"/tb"))
			return
		}
		select { // the ping waits until the editor shows it on its way
		case <-release:
		case <-time.After(20 * time.Second):
		}
		trackback.WriteSuccess(w)
	}))
	defer remote.Close()

	e := newEnv(t)
	o := &jobs.Outbox{Store: e.store, Posts: e.store, Settings: e.store, BaseURL: testBaseURL, Log: slog.New(slog.DiscardHandler),
		Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true, Timeout: 30 * time.Second})}
	e.outbox.Store(o)
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()

	c, _ := e.admin()
	e.publish(c, "Watched", "See [the entry]("+remote.URL+"/entry).", nil)
	editPath := fmt.Sprintf("/admin/posts/%d/edit", e.postID("watched"))

	ctx := notifyBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/login?next="+editPath),
		chromedp.SendKeys(chromedp.CSS("#login"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#notify tr[data-id]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	state, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#notify tr[data-id] .state")))
	if err != nil || (state != "sending" && state != "queued") {
		t.Fatalf("before the ping arrives: %q, %v", state, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.notStale = true")); err != nil {
		t.Fatal(err)
	}
	close(release)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#notify tr[data-id] .state").textContent === "sent"`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the row did not turn to sent: %v", err)
	}
	same, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.notStale === true && !document.getElementById('notify').dataset.refresh"))
	if err != nil || !same {
		t.Errorf("the page reloaded, or keeps polling after the last notification settled: %v %v", same, err)
	}
}
