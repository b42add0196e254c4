package main

// The harness of the browser tests: the whole blog on a loopback port and
// Debian's Chromium, headless, driven with chromedp. Console errors, uncaught
// exceptions and JavaScript dialogs fail the step they happen in; a failed
// step leaves a screenshot and the page's HTML behind.

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const browserHelp = "browser tests need Chromium: apt-get install chromium, " +
	"or set CROSSTALK_BROWSER_TESTS=required to make this a failure"

// chromiumPath finds the browser, or skips the test (fails it when
// CROSSTALK_BROWSER_TESTS=required, as .ci/run sets).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CROSSTALK_BROWSER_TESTS") == "required" {
		t.Fatal("CROSSTALK_BROWSER_TESTS=required but no chromium on PATH: apt-get install chromium")
	}
	t.Skip(browserHelp)
	return ""
}

// lockedBuffer collects the server's log lines from its goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// browserEnv is one running blog and one browser tab.
type browserEnv struct {
	t    *testing.T
	base string
	app  *app
	logs *lockedBuffer
	tab  context.Context

	mu       sync.Mutex
	problems []string // console errors, exceptions, unexpected dialogs
	dialogs  []string // every dialog, beforeunload ones included
}

func newBrowserEnv(t *testing.T) *browserEnv {
	path := chromiumPath(t)
	b := &browserEnv{t: t, logs: &lockedBuffer{}}
	b.startBlog()
	b.startBrowser(path)
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
	go func() { done <- b.app.serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server shutdown: %v", err)
		}
	})
}

func (b *browserEnv) startBrowser(path string) {
	t := b.t
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() }) // runs before TempDir's cleanup: the profile is free
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	b.tab = tab
	console := chromedp.Console(tab)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			// HTTP error statuses show up as network entries; the steps check statuses themselves.
			if (m.Type == chromedp.ConsoleError || m.IsException()) && m.Source != "network" {
				b.problem(fmt.Sprintf("console %s (%s:%d)", m, m.URL, m.Line+1))
			}
		}
	}()
	dialogs := chromedp.Events(tab, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, string(ev.Type))
			b.mu.Unlock()
			if ev.Type != page.DialogTypeBeforeunload {
				b.problem(fmt.Sprintf("a %s dialog opened: %q", ev.Type, ev.Message))
			}
			_, _ = chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

func (b *browserEnv) problem(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, s)
}

// takeProblems returns and forgets what went wrong in the page so far.
func (b *browserEnv) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

func (b *browserEnv) dialogCount(typ page.DialogType) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, d := range b.dialogs {
		if d == string(typ) {
			n++
		}
	}
	return n
}

// setupURL is the first-run address the server logged.
func (b *browserEnv) setupURL(t *testing.T) string {
	re := regexp.MustCompile(`url="?(http[^"\s]+/setup\?token=[0-9a-f]+)`)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(b.logs.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no setup URL in the log:\n%s", b.logs.String())
	return ""
}

// step runs one part of the story in its own subtest with a time limit.
// It fails on console errors or dialogs, and saves a screenshot if it failed.
func (b *browserEnv) step(name string, fn func(s *session)) bool {
	return b.t.Run(name, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(b.tab, 30*time.Second)
		defer cancel()
		s := &session{browserEnv: b, t: t, ctx: ctx}
		defer func() { // also after a t.Fatal in fn
			for _, p := range b.takeProblems() {
				t.Errorf("in the page: %s", p)
			}
			if t.Failed() {
				b.screenshot(t, name)
			}
		}()
		fn(s)
	})
}

// screenshot saves the page as PNG and HTML in $CROSSTALK_SCREENSHOT_DIR or a
// new temporary folder that outlives the test.
func (b *browserEnv) screenshot(t *testing.T, name string) {
	ctx, cancel := context.WithTimeout(b.tab, 10*time.Second)
	defer cancel()
	dir := os.Getenv("CROSSTALK_SCREENSHOT_DIR")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "crosstalk-screenshots-"); err != nil {
			t.Logf("no screenshot: %v", err)
			return
		}
	}
	_ = os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, strings.NewReplacer(" ", "_", "/", "_").Replace(t.Name()))
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(file+".png", png, 0o644)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		_ = os.WriteFile(file+".html", []byte(html), 0o644)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Logf("screenshot of %s saved to %s.png (and .html)", loc, file)
}
