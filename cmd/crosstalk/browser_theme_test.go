package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/crosstalk/crosstalk/models"
)

// TestBrowserEditorAndTheme: the editor's Publish and View post, no false
// "restore" offer after saving, a failed save that survives a reload, the
// theme's accessibility in light and dark, and admin tables on a 360 px
// phone. With CROSSTALK_THEME_SCREENS=DIR it also saves screenshots of the
// home page and a post at 1280 and 390 px, light and dark.
func TestBrowserEditorAndTheme(t *testing.T) {
	b := newBrowserEnv(t)
	var postPath string
	steps := []struct {
		name string
		fn   func(s *session)
	}{
		{"first-run setup", func(s *session) { s.setup() }},
		{"publish from the editor, then view the post", func(s *session) { postPath = s.publishAndView() }},
		{"a failed save keeps the text across a reload", func(s *session) { s.failedSaveReload() }},
		{"accessibility of the theme, light and dark", func(s *session) { s.themeA11y(postPath) }},
		{"admin tables fit a 360 px phone", func(s *session) { s.phoneTables(postPath) }},
		{"screenshots", func(s *session) { s.themeScreens(postPath) }},
	}
	for _, st := range steps {
		if !b.step(st.name, st.fn) {
			return
		}
	}
}

// photoJPEG writes a w×h photo-like JPEG into dir.
func photoJPEG(t *testing.T, dir, name string, w, h int) string {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			sky := uint8(120 + 100*y/h)
			img.Set(x, y, color.RGBA{uint8(40 + 150*x/w), sky / 2, sky, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// setText puts text into a field as typing would (an input event), fast.
func (s *session) setText(sel, text string) {
	s.t.Helper()
	if _, err := js[bool](s, `(sel, text) => { const el = document.querySelector(sel); el.value = text;
		el.dispatchEvent(new Event("input", { bubbles: true })); return true; }`, sel, text); err != nil {
		s.t.Fatalf("set %s: %v", sel, err)
	}
}

const samplerBody = `A post to try the theme with: a paragraph long enough to show the measure of the column, about seventy characters to a line, which is what books and good blogs keep to.

## A heading of the second level

Some *emphasis*, some **strong** words, ` + "`inline code`" + `, and [a link to another site](https://other.example/post).

![Harbour at dusk](%s "The harbour at dusk, from the pier")

> A quotation that runs over a line or two, to show how quotes look in the theme.

` + "```go" + `
func main() {
	fmt.Println("a code block with a line long enough to scroll sideways on a phone rather than break the page")
}
` + "```" + `

https://www.youtube.com/watch?v=dQw4w9WgXcQ

1. A numbered list
2. with two items`

// publishAndView writes a post with an image, presses Publish, follows
// View post, and comes back to an editor that offers no "restore" copy.
func (s *session) publishAndView() string {
	s.open("/admin/media")
	s.do("pick a photo", chromedp.SetUploadFiles(chromedp.CSS("#m-file"), []string{photoJPEG(s.t, s.t.TempDir(), "harbour-dusk.jpg", 2000, 1200)}))
	s.click(`form.upload button[type=submit]`)
	s.waitText(".flash", "Uploaded harbour-dusk.jpg")
	src, err := js[string](s, `() => new URL(document.querySelector("table.media input.media-url").value).pathname`)
	if err != nil || !regexp.MustCompile(`^/media/\d+/harbour-dusk\.jpg$`).MatchString(src) {
		s.t.Fatalf("media address %q %v", src, err)
	}
	s.open("/admin/posts/new")
	s.waitFor("Publish beside Save draft", `() => document.getElementById("publish").textContent === "Publish" &&
		document.getElementById("save").textContent === "Save draft"`)
	s.fill("#e-title", "Theme sampler")
	s.setText("#e-body", fmt.Sprintf(samplerBody, src))
	s.waitText("#preview figcaption", "The harbour at dusk")
	s.waitFor("the preview styled as the post", `() => document.getElementById("preview").classList.contains("e-content") &&
		getComputedStyle(document.querySelector("#preview pre")).overflowX === "auto"`)
	s.click("#publish")
	s.waitText(".flash", "Published.")
	s.waitFor("the address without ?saved=1", `() => /^\/admin\/posts\/\d+\/edit$/.test(location.pathname) && location.search === ""`)
	if !s.isHidden("#restore-offer") {
		s.t.Error("the editor offers to restore a copy right after publishing")
	}
	post := s.onlyPost("Theme sampler")
	if post.Status != models.StatusPublished {
		s.t.Fatalf("after Publish: %s", post.Status)
	}
	s.click("#view-post")
	s.waitFor("the published post", `(path) => location.pathname === path`, post.Path())
	s.waitText("main h1", "Theme sampler")
	if srcset, err := js[string](s, `() => document.querySelector(".e-content figure img").getAttribute("srcset")`); err != nil ||
		!strings.Contains(srcset, "?w=480 480w") || !strings.Contains(srcset, "?w=1600 1600w") {
		s.t.Errorf("figure srcset %q %v", srcset, err)
	}
	// The video: nothing fetched from YouTube before the click; the click
	// adds the privacy-friendly iframe, which the page's policy allows.
	s.waitFor("the Load video button shown", `() => !document.querySelector("figure.embed-youtube button.embed-load").hidden`)
	if early, err := js[bool](s, `() => performance.getEntriesByType("resource").some((e) => /youtube/.test(e.name))`); err != nil || early {
		s.t.Errorf("YouTube was contacted before the click (%v)", err)
	}
	s.click("figure.embed-youtube button.embed-load")
	s.waitFor("the video's iframe", `() => { const f = document.querySelector("figure.embed-youtube iframe");
		return f && f.src === "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" && !document.querySelector("figure.embed-youtube button"); }`)
	// Coming back later offers nothing either: the save took it all.
	s.open(fmt.Sprintf("/admin/posts/%d/edit", post.ID))
	s.waitText("#save", "Update")
	if !s.isHidden("#restore-offer") {
		s.t.Error("the editor offers to restore a copy of a saved post")
	}
	// Saving a draft does not leave a copy to offer on the next new post.
	s.open("/admin/posts/new")
	s.fill("#e-title", "Second thoughts")
	s.fill("#e-body", "A draft.")
	s.click("#save")
	s.waitText(".flash", "Saved.")
	s.open("/admin/posts/new")
	if !s.isHidden("#restore-offer") {
		s.t.Error("a new post offers the copy of a draft that was saved")
	}
	return post.Path()
}

func (s *session) isHidden(sel string) bool {
	s.t.Helper()
	hidden, err := js[bool](s, `(sel) => document.querySelector(sel).hidden`, sel)
	if err != nil {
		s.t.Fatal(err)
	}
	return hidden
}

// failedSaveReload: a save the server refuses lands on a GET address with
// the text and the message; reloading it shows them again and posts nothing.
func (s *session) failedSaveReload() {
	id := s.onlyPost("Second thoughts").ID
	s.open(fmt.Sprintf("/admin/posts/%d/edit", id))
	s.do("clear the slug", chromedp.Clear(chromedp.CSS("#e-slug")))
	s.fill("#e-slug", "Not OK")
	s.setText("#e-body", "Words the writer must not lose.")
	s.click("#save")
	s.waitFor("the editor at a GET address naming the kept form", `() => /unsaved=/.test(location.search)`)
	s.waitText(".field-error", "Use lower-case letters")
	s.do("reload", chromedp.Reload())
	s.waitFor("the page to load again", `() => document.readyState === "complete" && /unsaved=/.test(location.search)`)
	s.waitText(".field-error", "Use lower-case letters")
	body, err := chromedp.Run(s.ctx, chromedp.Value(chromedp.CSS("#e-body")))
	if err != nil || body != "Words the writer must not lose." {
		s.t.Errorf("text after reloading: %q %v", body, err)
	}
	if p := s.onlyPost("Second thoughts"); p.Slug == "Not OK" || p.Body != "A draft." {
		s.t.Errorf("the refused save changed the post: %q %q", p.Slug, p.Body)
	}
}

// colorScheme emulates prefers-color-scheme ("" for the default).
func (s *session) colorScheme(scheme string) {
	s.t.Helper()
	var features []*emulation.MediaFeature
	if scheme != "" {
		features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
	}
	s.do("emulate "+scheme, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
		return err
	}))
}

// a11yScript checks what axe-core's main rules check, in the page itself
// (axe-core is not shipped with the blog and the CI has no network to
// fetch it): text contrast of every visible text element against its
// (first opaque ancestor's) background ≥ 4.5 (3 for large text), every
// img has alt, every control a label, and no sideways scrolling.
const a11yScript = `() => {
	const out = [];
	const rgb = (c) => { const m = c.match(/[\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; };
	const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
	const bgOf = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
		if (c.length < 4 || c[3] > 0.9) return c; } return rgb(getComputedStyle(document.documentElement).backgroundColor).length ? [255, 255, 255] : [255, 255, 255]; };
	const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
	for (const el of document.querySelectorAll("body *")) {
		if (!el.offsetParent && getComputedStyle(el).position !== "fixed") continue;
		const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
		if (!own || el.closest(".skip, .visually-hidden, .hp, [hidden]")) continue;
		const st = getComputedStyle(el);
		const r = ratio(rgb(st.color), bgOf(el));
		const large = parseFloat(st.fontSize) >= 24 || (parseFloat(st.fontSize) >= 18.66 && +st.fontWeight >= 700);
		if (r < (large ? 3 : 4.5)) out.push("contrast " + r.toFixed(2) + " of " + el.tagName.toLowerCase() + "." + el.className + ": " + el.textContent.trim().slice(0, 40));
	}
	for (const img of document.querySelectorAll("img")) if (!img.hasAttribute("alt")) out.push("img without alt: " + img.src);
	for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
		if (el.closest(".hp")) continue;
		if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) out.push("unlabelled " + el.outerHTML.slice(0, 80));
	}
	if (document.documentElement.scrollWidth > window.innerWidth) out.push("sideways scrolling: " + document.documentElement.scrollWidth + " > " + window.innerWidth);
	return out;
}`

// focusScript tabs through nothing itself: it focuses each link and button
// in turn (as :focus-visible after a key press) and reports any without a
// visible outline.
const focusScript = `() => {
	const out = [];
	for (const el of [...document.querySelectorAll("main a[href], main button, .site-header a")].slice(0, 25)) {
		if (!el.offsetParent) continue;
		el.focus();
		const st = getComputedStyle(el);
		if (st.outlineStyle === "none" || parseFloat(st.outlineWidth) < 2) out.push("no visible focus on " + el.outerHTML.slice(0, 60));
	}
	document.activeElement.blur();
	return out;
}`

// themeA11y runs the checks on the reader's pages and the editor, light and dark.
func (s *session) themeA11y(postPath string) {
	defer s.colorScheme("")
	for _, scheme := range []string{"light", "dark"} {
		s.colorScheme(scheme)
		for _, p := range []string{"/", postPath, "/admin/posts/new", "/admin/queue", "/admin/media", "/admin/settings"} {
			s.open(p)
			s.key("\t") // later focus() calls then show the keyboard's ring
			problems, err := js[[]string](s, a11yScript)
			if err != nil {
				s.t.Fatalf("a11y %s: %v", p, err)
			}
			focus, err := js[[]string](s, focusScript)
			if err != nil {
				s.t.Fatalf("focus %s: %v", p, err)
			}
			for _, pr := range append(problems, focus...) {
				s.t.Errorf("%s (%s): %s", p, scheme, pr)
			}
		}
	}
}

// phoneTables: at 360 and 390 px nothing scrolls sideways, including the
// editor's table of sites to notify and the media table.
func (s *session) phoneTables(postPath string) {
	defer func() { _ = chromedp.Do(s.ctx, chromedp.EmulateReset()) }()
	id := s.onlyPost("Theme sampler").ID
	for _, w := range []int64{360, 390} {
		s.do("emulate a phone", chromedp.EmulateViewport(w, 780, chromedp.EmulateMobile, chromedp.EmulateTouch))
		for _, p := range []string{"/", postPath, fmt.Sprintf("/admin/posts/%d/edit", id), "/admin/media", "/admin/queue", "/admin/posts"} {
			s.open(p)
			s.waitFor(fmt.Sprintf("%s to fit %d px", p, w), `() => document.documentElement.scrollWidth <= window.innerWidth`)
		}
	}
	s.open(fmt.Sprintf("/admin/posts/%d/edit", id))
	s.waitFor("the notify table as cards", `() => { const t = document.querySelector("table.notify-list");
		return t && getComputedStyle(t.querySelector("tr")).display === "block" && t.getBoundingClientRect().right <= window.innerWidth; }`)
}

// themeScreens saves the home page and the post at 1280 and 390 px, light
// and dark, into $CROSSTALK_THEME_SCREENS (nothing when unset).
func (s *session) themeScreens(postPath string) {
	dir := os.Getenv("CROSSTALK_THEME_SCREENS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		s.t.Fatal(err)
	}
	defer s.colorScheme("")
	defer func() { _ = chromedp.Do(s.ctx, chromedp.EmulateReset()) }()
	s.do("log out", chromedp.Navigate(s.base+"/"))
	s.click(`.admin-nav form[action$="/logout"] button`)
	s.waitFor("logged out", `() => location.pathname === "/" && !document.querySelector(".admin-nav")`)
	for _, w := range []int64{1280, 390} {
		if w == 390 {
			s.do("emulate a phone", chromedp.EmulateViewport(w, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
		} else {
			s.do("emulate a laptop", chromedp.EmulateViewport(w, 900))
		}
		for _, scheme := range []string{"light", "dark"} {
			s.colorScheme(scheme)
			for name, p := range map[string]string{"home": "/", "post": postPath} {
				s.open(p)
				png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
				if err != nil {
					s.t.Fatal(err)
				}
				file := filepath.Join(dir, fmt.Sprintf("%s-%d-%s.png", name, w, scheme))
				if err := os.WriteFile(file, png, 0o600); err != nil {
					s.t.Fatal(err)
				}
				s.t.Logf("saved %s", file)
			}
		}
	}
}
