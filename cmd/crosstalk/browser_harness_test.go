package main

// The harness of the browser tests: the whole blog on a loopback port and
// Debian's Chromium, headless, driven with chromedp. Console errors, uncaught
// exceptions and JavaScript dialogs fail the step they happen in; a failed
// step leaves a screenshot and the page's HTML behind.

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/handlers/browsertest"
)

// lockedBuffer collects the server's log lines from its goroutines.
type lockedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed on the next write; made by match
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return b.buf.Write(p)
}

// match waits until re matches the text, or the time is up.
func (b *lockedBuffer) match(re *regexp.Regexp, limit time.Duration) []string {
	timeout := time.After(limit)
	for {
		b.mu.Lock()
		m := re.FindStringSubmatch(b.buf.String())
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		changed := b.changed
		b.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-changed:
		case <-timeout:
			return nil
		}
	}
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// browserEnv is one running blog and one browser tab.
type browserEnv struct {
	*browsertest.Tab
	t    *testing.T
	base string
	app  *app
	logs *lockedBuffer
}

func newBrowserEnv(t *testing.T) *browserEnv {
	b := &browserEnv{t: t, logs: &lockedBuffer{}}
	// The browser first (it may wait for another package's browser test),
	// so that the blog's clock starts when the browser is there.
	b.Tab = browsertest.New(t, 1280, 900)
	b.startBlog()
	return b
}

func (b *browserEnv) startBlog() {
	t := b.t
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.base = "http://" + ln.Addr().String()
	// Private addresses allowed: linkback tests verify against their own loopback servers.
	cfg := config{Addr: ln.Addr().String(), DB: filepath.Join(t.TempDir(), "blog.db"), BaseURL: b.base, AllowPrivateNetwork: true}
	ctx, cancel := context.WithCancel(context.Background())
	b.app, err = newApp(ctx, cfg, newLogger(b.logs, false))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- b.app.serve(ctx, ln, nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server shutdown: %v", err)
		}
	})
}

// setupURL is the first-run address the server logged.
func (b *browserEnv) setupURL(t *testing.T) string {
	re := regexp.MustCompile(`url="?(http[^"\s]+/setup\?token=[0-9a-f]+)`)
	if m := b.logs.match(re, 30*time.Second); m != nil {
		return m[1]
	}
	t.Fatalf("no setup URL in the log:\n%s", b.logs.String())
	return ""
}

// stepTimeout bounds one step: generous for -race on a loaded 2-core machine.
const stepTimeout = 3 * time.Minute

// step runs one part of the story in its own subtest with a time limit.
// It fails on console errors or dialogs, and saves a screenshot if it failed.
func (b *browserEnv) step(name string, fn func(s *session)) bool {
	return b.t.Run(name, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(b.Ctx, stepTimeout)
		defer cancel()
		s := &session{browserEnv: b, t: t, ctx: ctx}
		defer b.Report(t) // page problems fail the step; a failed step leaves a screenshot
		fn(s)
	})
}
