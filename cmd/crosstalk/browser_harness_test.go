package main

// The harness of the browser tests: the whole blog on a loopback port and
// Debian's Chromium, headless, driven with chromedp. Console errors, uncaught
// exceptions and JavaScript dialogs fail the step they happen in; a failed
// step leaves a screenshot and the page's HTML behind.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
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
	cfg := config{Addr: ln.Addr().String(), DB: filepath.Join(t.TempDir(), "blog.db"), BaseURL: b.base}
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

// session is one step's view of the browser.
type session struct {
	*browserEnv
	t   *testing.T
	ctx context.Context
}

func (s *session) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, actions...); err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
}

func (s *session) open(path string) {
	s.t.Helper()
	s.do("open "+path, chromedp.Navigate(s.base+path))
	s.waitFor("the page at "+path+" to load", `() => document.readyState === "complete"`)
}

func (s *session) fill(sel, text string) {
	s.t.Helper()
	s.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (s *session) click(sel string) {
	s.t.Helper()
	s.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

func (s *session) key(k string, mods ...chromedp.Modifier) {
	s.t.Helper()
	s.do("press "+k, chromedp.KeyEvent(k, chromedp.KeyModifiers(mods...)))
}

// js calls a JavaScript function with JSON arguments and decodes its result.
func js[T any](s *session, fn string, args ...any) (T, error) {
	enc := make([]string, len(args))
	for i, a := range args {
		b, _ := json.Marshal(a)
		enc[i] = string(b)
	}
	return chromedp.Run(s.ctx, chromedp.Evaluate[T]("("+fn+")("+strings.Join(enc, ",")+")"))
}

// waitFor polls a JavaScript predicate until it holds. Errors while a new
// page loads count as "not yet".
func (s *session) waitFor(what, fn string, args ...any) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := js[bool](s, fn, args...)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || s.ctx.Err() != nil {
			s.t.Fatalf("waiting for %s: gave up (last error %v)", what, err)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// waitText waits until an element that sel matches has text containing want.
func (s *session) waitText(sel, want string) {
	s.t.Helper()
	s.waitFor(fmt.Sprintf("%s to say %q", sel, want),
		`(sel, want) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(want))`, sel, want)
}

func (s *session) text(sel string) string {
	s.t.Helper()
	v, err := js[string](s, `(sel) => { const e = document.querySelector(sel); return e ? e.textContent : "<missing " + sel + ">"; }`, sel)
	if err != nil {
		s.t.Fatalf("read %s: %v", sel, err)
	}
	return v
}

func (s *session) path() string {
	s.t.Helper()
	v, err := js[string](s, `() => location.pathname`)
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

// httpGet fetches a page outside the browser.
func (s *session) httpGet(path string) string {
	s.t.Helper()
	res, err := http.Get(s.base + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	return buf.String()
}

// httpPost sends a form from outside the browser, as another site or a
// reader's script would, and returns the status.
func (s *session) httpPost(path string, form url.Values) int {
	s.t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(s.base+path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
