// Package browsertest runs Debian's Chromium, headless, for the browser tests
// of every package (cmd/crosstalk and handlers today).
//
// go test runs packages in parallel processes. Each browser test gets a
// Chromium of its own (own profile, own tab) next to its own server and
// database, and holds an exclusive flock on one file in os.TempDir() for as
// long as that Chromium runs: two browsers never run at once, in one process
// or in several, so on a small machine a browser suite never starves another
// one of CPU. The lock dies with the process, so a crashed run leaves nothing
// to clean up.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Limits: generous for a loaded 2-core CI machine running -race, but bounded.
const (
	// LockWait bounds the wait for another package's browser test to end.
	LockWait = 5 * time.Minute
	// Wait bounds one WaitFor unless the caller's context ends first.
	Wait = 30 * time.Second
	// pollEvery is how often the page re-checks a condition.
	pollEvery = 50 * time.Millisecond
)

// LockPath is the file whose flock the browser tests of all packages share.
func LockPath() string { return filepath.Join(os.TempDir(), "crosstalk-browser-tests.lock") }

// ChromiumPath finds the browser, or skips the test; with
// CROSSTALK_BROWSER_TESTS=required (as .ci/run sets) a missing Chromium is a
// failure.
func ChromiumPath(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CROSSTALK_BROWSER_TESTS") == "required" {
		t.Fatal("CROSSTALK_BROWSER_TESTS=required but no chromium on PATH: apt-get install chromium")
	}
	t.Skip("browser tests need Chromium: apt-get install chromium, " +
		"or set CROSSTALK_BROWSER_TESTS=required to make this a failure")
	return ""
}

// lock takes the lock on the file at path for the rest of the test.
func lock(t testing.TB, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatalf("browser lock: %v", err)
	}
	got := make(chan error, 1)
	go func() { got <- lockFile(f) }()
	start := time.Now()
	select {
	case err = <-got:
	case <-time.After(LockWait):
		// Close the file once the lock comes, so that it is released at once.
		go func() {
			<-got //nolint:errcheck // either way the file is closed, which releases a lock that came late
			_ = f.Close()
		}()
		t.Fatalf("another browser test held %s for more than %v", path, LockWait)
	}
	if err != nil {
		_ = f.Close()
		t.Fatalf("browser lock %s: %v", path, err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Logf("waited %v for another package's browser test", waited.Round(time.Millisecond))
	}
	t.Cleanup(func() { _ = f.Close() }) // closing the file releases the lock
}

// Tab is one headless Chromium with one tab. Console errors, uncaught
// exceptions and JavaScript dialogs other than "leave the page?" are
// collected as problems for the test to report.
type Tab struct {
	// Ctx runs chromedp actions in the tab; it ends with the test.
	Ctx context.Context

	mu       sync.Mutex
	problems []string
	dialogs  []page.DialogType
}

// New takes the browser lock and starts Chromium with a fresh profile and a
// window of width×height. Its cleanup closes the browser, then frees the lock.
func New(t testing.TB, width, height int) *Tab {
	t.Helper()
	path := ChromiumPath(t)
	lock(t, LockPath())
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	// Registered after the profile's TempDir and the lock: runs before both.
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	tab := &Tab{Ctx: ctx}
	tab.watch()
	return tab
}

func (tab *Tab) watch() {
	console := chromedp.Console(tab.Ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			// HTTP error statuses show up as network entries; tests check statuses themselves.
			if (m.Type == chromedp.ConsoleError || m.IsException()) && m.Source != "network" {
				tab.problem(fmt.Sprintf("console %s (%s:%d)", m, m.URL, m.Line+1))
			}
		}
	}()
	dialogs := chromedp.Events(tab.Ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			tab.mu.Lock()
			tab.dialogs = append(tab.dialogs, ev.Type)
			tab.mu.Unlock()
			if ev.Type != page.DialogTypeBeforeunload {
				tab.problem(fmt.Sprintf("a %s dialog opened: %q", ev.Type, ev.Message))
			}
			_, _ = chromedp.Call(tab.Ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

func (tab *Tab) problem(s string) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	tab.problems = append(tab.problems, s)
}

// TakeProblems returns and forgets what went wrong in the page so far.
func (tab *Tab) TakeProblems() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	p := tab.problems
	tab.problems = nil
	return p
}

// DialogCount is how many dialogs of that type have opened so far.
func (tab *Tab) DialogCount(typ page.DialogType) int {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	n := 0
	for _, d := range tab.dialogs {
		if d == typ {
			n++
		}
	}
	return n
}

// Report fails t with the page's problems, and saves a screenshot and the
// page's HTML if t failed. Call it deferred, so that it also runs after a
// t.Fatal.
func (tab *Tab) Report(t testing.TB) {
	t.Helper()
	for _, p := range tab.TakeProblems() {
		t.Errorf("in the page: %s", p)
	}
	if t.Failed() {
		tab.Screenshot(t)
	}
}

// Screenshot saves the page as PNG and HTML in $CROSSTALK_SCREENSHOT_DIR or a
// new temporary folder that outlives the test, named after the test.
func (tab *Tab) Screenshot(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 20*time.Second)
	defer cancel()
	dir := os.Getenv("CROSSTALK_SCREENSHOT_DIR")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "crosstalk-screenshots-"); err != nil {
			t.Logf("no screenshot: %v", err)
			return
		}
	}
	_ = os.MkdirAll(dir, 0o750)
	file := filepath.Join(dir, strings.NewReplacer(" ", "_", "/", "_").Replace(t.Name()))
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(file+".png", png, 0o600)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		_ = os.WriteFile(file+".html", []byte(html), 0o600)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Logf("screenshot of %s saved to %s.png (and .html)", loc, file)
}

// WaitFor waits until the JavaScript function fn, called with args (as
// JSON), returns a true value in the page. The page itself re-checks every
// 50 ms; an exception in fn counts as "not yet", and a navigation starts the
// check again in the new page. It gives up after Wait or when ctx ends.
func WaitFor(ctx context.Context, fn string, args ...any) error {
	ctx, cancel := context.WithTimeout(ctx, Wait)
	defer cancel()
	deadline, _ := ctx.Deadline()
	guarded := "(...args) => { try { return !!(" + fn + ")(...args); } catch (e) { return false; } }"
	var err error
	// Each round ends with the condition met, the time up, or the page gone
	// (a navigation); the last cannot happen more than a few times a step.
	for range 1000 {
		left := time.Until(deadline)
		if left <= 0 { // (a zero polling timeout would mean none)
			break
		}
		_, err = chromedp.Run(ctx, chromedp.PollFunction[bool](guarded, chromedp.WithPollingInterval(pollEvery),
			chromedp.WithPollingTimeout(left), chromedp.WithPollingArgs(args...)))
		if err == nil {
			return nil
		}
		if errors.Is(err, chromedp.ErrPollingTimeout) || ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("gave up (last error: %w)", err)
}
