package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crosstalk/crosstalk/handlers/browsertest"
	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// browserLimit bounds the browser's part of the test, and so how long the
// held ping may wait: generous for -race on a loaded machine.
const browserLimit = 3 * time.Minute

// TestBrowserNotifyListUpdatesInPlace opens the editor while a TrackBack is on its
// way and watches its row turn to "sent" without the page reloading.
func TestBrowserNotifyListUpdatesInPlace(t *testing.T) {
	// The browser first: it may wait for another package's browser test, and
	// the ping below must not be on its way (nor time out) meanwhile.
	tab := browsertest.New(t, 1280, 900)
	release := make(chan struct{})
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			_, _ = io.WriteString(w, trackback.RDFBlock("http://"+r.Host+r.URL.Path, "Entry", "http://"+r.Host+"/tb"))
			return
		}
		// The ping waits until the editor has shown it on its way, however
		// slowly the browser got there (no timer that a loaded machine outruns).
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		trackback.WriteSuccess(w)
	}))
	defer remote.Close()
	releasePing := sync.OnceFunc(func() { close(release) })
	defer releasePing() // before remote.Close, which waits for the held ping

	e := newEnv(t)
	o := &jobs.Outbox{Store: e.store, Posts: e.store, Settings: e.store, BaseURL: testBaseURL, Log: slog.New(slog.DiscardHandler),
		Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true, Timeout: browserLimit})}
	e.outbox.Store(o)
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()

	c, _ := e.admin()
	e.publish(c, "Watched", "See [the entry]("+remote.URL+"/entry).", nil)
	editPath := fmt.Sprintf("/admin/posts/%d/edit", e.postID("watched"))

	defer tab.Report(t) // console errors fail the test; a failure leaves a screenshot of the page as it was
	ctx, cancel := context.WithTimeout(tab.Ctx, browserLimit)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/login?next="+editPath),
		chromedp.SendKeys(chromedp.CSS("#login"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `() => location.pathname === `+strconv.Quote(editPath)+` &&
		document.readyState === "complete" && document.querySelector("#notify tr[data-id]")`); err != nil {
		t.Fatalf("the editor with its list of sites to notify: %v", err)
	}
	state, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#notify tr[data-id] .state")))
	if err != nil || (state != "sending" && state != "queued") {
		t.Fatalf("before the ping arrives: %q, %v", state, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.notStale = true")); err != nil {
		t.Fatal(err)
	}
	releasePing()
	if err := browsertest.WaitFor(ctx, `() => document.querySelector("#notify tr[data-id] .state").textContent === "sent"`); err != nil {
		t.Fatalf("the row did not turn to sent: %v", err)
	}
	// The same answer that showed "sent" ends the polling (app.js drops data-refresh).
	same, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.notStale === true && !document.getElementById('notify').dataset.refresh"))
	if err != nil || !same {
		t.Errorf("the page reloaded, or keeps polling after the last notification settled: %v %v", same, err)
	}
}
