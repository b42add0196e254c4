package main

// The actions a browser test step takes, each failing the step with a
// sentence that says what it was waiting for.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/crosstalk/crosstalk/handlers/browsertest"
)

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

// waitFor waits until a JavaScript predicate holds in the page (see
// browsertest.WaitFor: checked in the page, across navigations, bounded).
func (s *session) waitFor(what, fn string, args ...any) {
	s.t.Helper()
	if err := browsertest.WaitFor(s.ctx, fn, args...); err != nil {
		s.t.Fatalf("waiting for %s: %v", what, err)
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
