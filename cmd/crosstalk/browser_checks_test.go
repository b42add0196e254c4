package main

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/chromedp/chromedp"
)

// comment posts a reader's comment over HTTP, as a reader's browser would.
func (s *session) comment(postID int64, name, text string) {
	s.t.Helper()
	if st := s.httpPost(fmt.Sprintf("/comments/%d", postID), url.Values{"name": {name}, "content": {text}}); st != http.StatusSeeOther {
		s.t.Fatalf("comment: %d", st)
	}
}

// moderate makes the queue item that mentions text the current one with
// j/k and presses key on it; it returns the item's id.
func (s *session) moderate(text, key string) string {
	s.t.Helper()
	find := `(text) => { const it = [...document.querySelectorAll(".queue-item:not([hidden])")].find(e => e.textContent.includes(text)); return it ? it.dataset.id : ""; }`
	id, err := js[string](s, find, text)
	if err != nil || id == "" {
		s.t.Fatalf("no queue item mentions %q (%v)", text, err)
	}
	// One key at a time, each waited for, so that none is lost or one too many.
	step := `(id) => { const all = [...document.querySelectorAll(".queue-item:not([hidden])")];
		const c = all.findIndex(e => e.classList.contains("current")), i = all.findIndex(e => e.dataset.id === id);
		return i === c ? "" : (i > c ? "j" : "k"); }`
	current := `() => { const c = document.querySelector(".queue-item.current"); return c ? c.dataset.id : ""; }`
	for range 50 {
		dir, err := js[string](s, step, id)
		if err != nil {
			s.t.Fatalf("find the way to item %s: %v", id, err)
		}
		if dir == "" {
			break
		}
		before, _ := js[string](s, current)
		s.key(dir)
		s.waitFor("the current item to move on from "+before, `(before) => (`+current+`)() !== before`, before)
	}
	s.waitFor("item "+id+" to be current", `(id) => document.querySelector(".queue-item.current").dataset.id === id`, id)
	s.key(key)
	s.waitFor("item "+id+" to leave the list", `(id) => document.querySelector('.queue-item[data-id="' + id + '"]').hidden`, id)
	return id
}

func (s *session) moderateComments(postPath string) {
	postID := s.onlyPost("A walk by the harbour").ID
	s.comment(postID, "Bea", "Lovely walk, thank you.")
	s.comment(postID, xssImage, "Nice "+xssScript+" and "+xssImage)
	s.comment(postID, "Spammer", "cheap pills")

	s.open("/admin/queue")
	s.audit()
	s.waitText(`.count[data-status="pending"]`, "3")
	s.waitText("#pending-count .n", "3")
	s.key("?")
	s.waitFor("the shortcut help", `() => document.getElementById("shortcut-help").open`)
	s.key("?")
	s.waitFor("the shortcut help to close", `() => !document.getElementById("shortcut-help").open`)

	s.moderate("cheap pills", "s")
	s.waitText(`.count[data-status="spam"]`, "1")
	bea := s.moderate("Lovely walk", "a")
	s.waitText(`.count[data-status="pending"]`, "1")
	s.waitText("#pending-count .n", "1")
	s.key("u") // undo: Bea's comment is pending again, in its place
	s.waitFor("the undone item back", `(id) => !document.querySelector('.queue-item[data-id="' + id + '"]').hidden`, bea)
	s.waitText(`.count[data-status="pending"]`, "2")
	s.waitText(`.count[data-status="approved"]`, "0")
	s.moderate("Lovely walk", "a")
	s.moderate("onerror", "a")
	s.waitText(`.count[data-status="approved"]`, "2")
	s.waitFor("the badge to go", `() => document.getElementById("pending-count").hidden`)
	s.waitFor("the empty queue", `() => !document.getElementById("queue-empty").hidden`)

	// On the post, the payloads are text: no script ran, no image was made.
	s.open(postPath)
	s.waitText(".comments", "Lovely walk, thank you.")
	s.waitText(".comments .comment-body", xssScript)
	s.waitText(".comments .comment-author", xssImage)
	if n, err := js[int](s, `() => document.querySelectorAll('.comments img:not(.avatar[src^="/identicons/"]), .comments script:not([src$="/comments.js"])').length`); err != nil || n != 0 {
		s.t.Errorf("the comments made %d elements from the payloads (%v)", n, err)
	}
	if strings.Contains(s.text(".comments"), "cheap pills") {
		s.t.Error("a spam comment is shown")
	}
}

// trackback sends a TrackBack over HTTP whose fields carry script and
// img-onerror payloads, approves it with the keyboard and checks the post
// shows them as text. Tags are stripped on receipt (Movable Type's rule) and a
// script's body dropped with it; an entity-encoded payload shows as literal text.
func (s *session) trackback(postPath string) {
	id := s.onlyPost("A walk by the harbour").ID
	st := s.httpPost(fmt.Sprintf("/trackback/%d", id), url.Values{"url": {"https://other.example/reply"},
		"title": {xssScript + " Harbour reply"}, "excerpt": {"&lt;img src=x onerror=alert(1)&gt; and " + xssImage}, "blog_name": {"Other <b>blog</b>"}})
	if st != http.StatusOK {
		s.t.Fatalf("TrackBack ping: %d", st)
	}
	s.open("/admin/queue")
	s.waitText(".queue", "https://other.example/reply")
	s.moderate("other.example/reply", "a")
	s.waitText(`.count[data-status="approved"]`, "3")

	s.open(postPath)
	s.waitText(".linkbacks .linkback-title", "Harbour reply")
	if title := s.text(".linkbacks .linkback-title"); strings.Contains(title, "alert") {
		s.t.Errorf("the script's body survived in the title: %q", title)
	}
	s.waitText(".linkbacks .linkback-excerpt", xssImage+" and")
	s.waitText(".linkbacks .blog-name", "Other blog")
	if n, err := js[int](s, `() => document.querySelectorAll(".linkbacks img, .linkbacks script, .linkbacks b").length`); err != nil || n != 0 {
		s.t.Errorf("the TrackBack made %d elements from its payloads (%v)", n, err)
	}
	if href, err := js[string](s, `() => document.querySelector(".linkbacks a.linkback-title").getAttribute("rel")`); err != nil || href != "nofollow ugc" {
		s.t.Errorf("TrackBack link rel = %q (%v)", href, err)
	}
}

// phone: a narrow screen has no sideways scrolling, and the editor shows the
// text or the preview with a toggle.
func (s *session) phone(postPath string) {
	s.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	defer func() { _ = chromedp.Do(s.ctx, chromedp.EmulateReset()) }()
	id := s.onlyPost("A walk by the harbour").ID
	for _, p := range []string{"/", postPath, "/admin", "/admin/posts", "/admin/queue?status=approved", "/admin/settings", fmt.Sprintf("/admin/posts/%d/edit", id)} {
		s.open(p)
		s.waitFor(p+" to fit the phone's width", `() => document.documentElement.scrollWidth <= window.innerWidth`)
	}
	s.waitFor("the text shown, the preview hidden", `() => getComputedStyle(document.getElementById("preview")).display === "none" && getComputedStyle(document.getElementById("e-body")).display !== "none"`)
	s.click("#preview-toggle")
	s.waitFor("the preview shown instead", `() => getComputedStyle(document.getElementById("preview")).display !== "none" && document.getElementById("e-body").offsetParent === null`)
	s.waitText("#preview", "bold")
}

// onePixelPNG is a valid 1×1 PNG.
const onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

// uploadImage picks an image in the editor: it is uploaded to the media
// library and its Markdown lands in the text.
func (s *session) uploadImage() {
	png, _ := base64.StdEncoding.DecodeString(onePixelPNG)
	file := filepath.Join(s.t.TempDir(), "harbour.png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.open(fmt.Sprintf("/admin/posts/%d/edit", s.onlyPost("Unsaved essay").ID))
	s.do("pick the image", chromedp.SetUploadFiles(chromedp.CSS("#e-image"), []string{file}))
	s.waitFor("the upload to end", `() => /^Uploaded|was not uploaded/.test(document.getElementById("upload-status").textContent)`)
	body, err := chromedp.Run(s.ctx, chromedp.Value(chromedp.CSS("#e-body")))
	if err != nil {
		s.t.Fatal(err)
	}
	if status := s.text("#upload-status"); !strings.HasPrefix(status, "Uploaded") {
		s.t.Errorf("upload message: %q", status)
	}
	image := regexp.MustCompile(`!\[harbour\.png\]\(/media/\d+/harbour\.png\)`)
	if !image.MatchString(body) {
		s.t.Errorf("no image Markdown in the text: %q", body)
	}
	// The draft autosaves with the image in it, so leaving the page is safe.
	s.waitText("#save-status", "Saved at")
	if stored := s.onlyPost("Unsaved essay").Body; !image.MatchString(stored) {
		s.t.Errorf("the autosaved draft lacks the image: %q", stored)
	}
}

// audit checks the page's accessibility basics: landmarks, a label on every
// control, a name on every button and link.
func (s *session) audit() {
	s.t.Helper()
	problems, err := js[[]string](s, `() => {
		const out = [];
		for (const sel of ["header", "main", "footer", "html[lang]"]) if (!document.querySelector(sel)) out.push("no " + sel);
		if (!document.title.trim()) out.push("no title");
		if (document.body.classList.contains("admin") && !document.querySelector("nav[aria-label]")) out.push("no labelled nav");
		for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
			if (el.closest(".hp")) continue; // the honeypot is hidden from everyone
			if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) out.push("unlabelled " + el.outerHTML.slice(0, 80));
		}
		for (const el of document.querySelectorAll("button, a[href]")) {
			if (!(el.textContent.trim() || el.getAttribute("aria-label"))) out.push("nameless " + el.outerHTML.slice(0, 80));
		}
		return out;
	}`)
	if err != nil {
		s.t.Fatalf("audit: %v", err)
	}
	for _, p := range problems {
		s.t.Errorf("accessibility: %s", p)
	}
}
