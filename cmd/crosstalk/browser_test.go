package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/crosstalk/crosstalk/models"
)

const (
	adminName     = "ann"
	adminPassword = "a long harbour password"
	xssScript     = `<script>alert(1)</script>`
	xssImage      = `<img src=x onerror=alert(1)>`
)

// TestBrowser is the writer's and the moderator's story in a real browser,
// one step after another on one blog: each step needs the ones before it.
func TestBrowser(t *testing.T) {
	b := newBrowserEnv(t)
	var postPath string
	steps := []struct {
		name string
		fn   func(s *session)
	}{
		{"first-run setup with the logged token", func(s *session) { s.setup() }},
		{"log out and log in", func(s *session) { s.logOutAndIn() }},
		{"write, preview and publish", func(s *session) { postPath = s.writeAndPublish() }},
		{"published post on the home page and in the feed", func(s *session) { s.seePublished(postPath) }},
		{"unsaved edits of a live post warn before leaving", func(s *session) { s.warnBeforeLeaving() }},
		{"moderate comments with the keyboard", func(s *session) { s.moderateComments(postPath) }},
		{"expired session while editing loses no text", func(s *session) { s.expiredSession() }},
		{"pick an image in the editor", func(s *session) { s.uploadImage() }},
		{"admin and reader pages on a phone", func(s *session) { s.phone(postPath) }},
	}
	for _, st := range steps {
		if !b.step(st.name, st.fn) {
			return // the later steps build on this one
		}
	}
}

func (s *session) setup() {
	s.do("open the setup page", chromedp.Navigate(s.setupURL(s.t)))
	s.waitText("h1", "Set up your blog")
	s.audit()
	s.do("clear the title", chromedp.Clear(chromedp.CSS("#s-title")))
	s.fill("#s-title", "Harbour Notes")
	s.fill("#s-name", adminName)
	s.fill("#s-email", "ann@example.com")
	s.fill("#s-password", adminPassword)
	s.click(`form[action="/setup"] button[type=submit]`)
	s.waitText("main h1", "Dashboard")
	s.waitText(".flash", "Your blog is ready")
	s.audit()
}

func (s *session) logOutAndIn() {
	s.click(`.admin-nav form[action$="/logout"] button`)
	s.waitFor("the home page after logging out", `() => location.pathname === "/" && !document.querySelector(".admin-nav")`)
	// Visible focus: the first Tab lands on the skip link, which shows itself outlined.
	s.key("\t")
	s.waitFor("a visible focus ring on the skip link", `() => { const a = document.activeElement;
		return a.classList.contains("skip") && getComputedStyle(a).outlineStyle !== "none" && a.getBoundingClientRect().left >= 0; }`)
	s.open("/login")
	s.audit()
	s.fill("#login", adminName)
	s.fill("#password", adminPassword+"\n")
	s.waitText("main h1", "Dashboard")
}

func (s *session) writeAndPublish() string {
	s.open("/admin/posts/new")
	s.audit()
	s.fill("#e-title", "A walk by the harbour")
	s.fill("#e-body", "Hello **bold** world, see [the other blog](https://other.example/post).")
	// The live preview comes from the server's renderer.
	s.waitText("#preview strong", "bold")
	s.waitText("#word-count", "7 words")
	s.waitText("#notify-live", "https://other.example/post")
	// Autosave makes it a draft, and the page now edits that draft.
	s.waitText("#save-status", "Saved at")
	s.waitFor("the address of the autosaved draft", `() => /^\/admin\/posts\/\d+\/edit$/.test(location.pathname)`)
	draft := s.onlyPost("A walk by the harbour")
	if draft.Status != models.StatusDraft {
		s.t.Fatalf("autosave stored status %s, want draft", draft.Status)
	}
	s.do("choose published", chromedp.SetValue(chromedp.CSS("#e-status"), "published"))
	s.key("s", chromedp.ModifierCtrl) // Ctrl+S saves
	s.waitText(".flash", "Published.")
	post := s.onlyPost("A walk by the harbour") // Save updated the autosaved draft: still one post
	if post.Status != models.StatusPublished || post.ID != draft.ID {
		s.t.Fatalf("after Ctrl+S: post %d is %s", post.ID, post.Status)
	}
	return post.Path()
}

// onlyPost returns the one post with that title, failing if there are more.
func (s *session) onlyPost(title string) *models.Post {
	s.t.Helper()
	ctx := context.Background()
	var found []models.Post
	for _, st := range []models.PostStatus{models.StatusDraft, models.StatusPublished} {
		posts, err := s.app.store.AdminPosts(ctx, models.KindPost, st, 0, 100)
		if err != nil {
			s.t.Fatal(err)
		}
		for _, p := range posts {
			if p.Title == title {
				found = append(found, p)
			}
		}
	}
	if len(found) != 1 {
		s.t.Fatalf("%d posts titled %q, want 1", len(found), title)
	}
	p, err := s.app.store.PostByID(ctx, found[0].ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

func (s *session) seePublished(postPath string) {
	s.open("/")
	s.waitText("main .summary h2 a", "A walk by the harbour")
	s.waitText("main .summary strong", "bold")
	s.audit()
	s.open(postPath)
	s.waitText("main h1", "A walk by the harbour")
	s.audit()
	if feed := s.httpGet("/feed"); !strings.Contains(feed, "A walk by the harbour") || !strings.Contains(feed, postPath) {
		s.t.Errorf("the feed lacks the post:\n%.800s", feed)
	}
}

// warnBeforeLeaving: a published post is not autosaved, so leaving with
// changes asks first, and the live text stays as it was.
func (s *session) warnBeforeLeaving() {
	id := s.onlyPost("A walk by the harbour").ID
	s.open(fmt.Sprintf("/admin/posts/%d/edit", id))
	s.waitText("#save-status", "Autosave is off")
	s.fill("#e-body", " An edit not saved.")
	before := s.dialogCount(page.DialogTypeBeforeunload)
	s.click(`.admin-nav a[href$="/admin"]`)
	s.waitFor("the dashboard after leaving", `() => location.pathname === "/admin"`)
	if s.dialogCount(page.DialogTypeBeforeunload) != before+1 {
		s.t.Error("leaving an edited post asked nothing")
	}
	if p := s.onlyPost("A walk by the harbour"); strings.Contains(p.Body, "not saved") {
		s.t.Error("the live post changed without Save")
	}
	// The browser kept the edit, and offers it back on the next visit.
	s.open(fmt.Sprintf("/admin/posts/%d/edit", id))
	s.waitFor("the offer of the kept copy", `() => !document.getElementById("restore-offer").hidden`)
	s.click("#restore-yes")
	s.waitFor("the kept edit back in the text", `() => document.getElementById("e-body").value.includes("An edit not saved.")`)
}

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
	for range 50 {
		cur, _ := js[string](s, `() => { const c = document.querySelector(".queue-item.current"); return c ? c.dataset.id : ""; }`)
		if cur == id {
			break
		}
		s.key("j")
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
	if n, err := js[int](s, `() => document.querySelectorAll(".comments img, .comments script").length`); err != nil || n != 0 {
		s.t.Errorf("the comments made %d elements from the payloads (%v)", n, err)
	}
	if strings.Contains(s.text(".comments"), "cheap pills") {
		s.t.Error("a spam comment is shown")
	}
}

func (s *session) expiredSession() {
	s.open("/admin/posts/new")
	s.fill("#e-title", "Unsaved essay")
	s.fill("#e-body", "Precious words typed for an hour.")
	s.waitText("#save-status", "Saved at")
	// The session ends while the writer keeps typing.
	s.do("clear the cookies", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
	s.fill("#e-body", " And the best sentence, written after the session ended.")
	s.waitText("#save-status", "session has expired")
	kept, err := js[string](s, `() => localStorage.getItem("crosstalk:unsaved:" + document.getElementById("editor").dataset.postId) || ""`)
	if err != nil || !strings.Contains(kept, "best sentence") {
		s.t.Errorf("no copy of the text in this browser: %q %v", kept, err)
	}
	s.click("#save")
	s.waitText("main h1", "Log in")
	s.waitText(".notice", "Your text is kept")
	s.fill("#login", adminName)
	s.fill("#password", adminPassword+"\n")
	s.waitText(".notice", "Here is your text as you left it")
	body, err := chromedp.Run(s.ctx, chromedp.Value(chromedp.CSS("#e-body")))
	if err != nil || body != "Precious words typed for an hour. And the best sentence, written after the session ended." {
		s.t.Fatalf("text after logging in again: %q %v", body, err)
	}
	s.click("#save")
	s.waitText(".flash", "Saved.")
	if p := s.onlyPost("Unsaved essay"); !strings.Contains(p.Body, "best sentence") || p.Status != models.StatusDraft {
		s.t.Errorf("stored after the new login: %s %q", p.Status, p.Body)
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

// uploadImage picks an image in the editor. Until POST /admin/media exists
// (issue 5) the editor must say plainly that it was not uploaded and leave no
// marker in the text; once it exists, the image's Markdown must be there.
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
	status := s.text("#upload-status")
	switch {
	case strings.HasPrefix(status, "Uploaded"):
		if !regexp.MustCompile(`!\[harbour\.png\]\(/\S+\)`).MatchString(body) {
			s.t.Errorf("uploaded, but no image Markdown in the text: %q", body)
		}
	case strings.Contains(body, "Uploading"):
		s.t.Errorf("a failed upload left its marker: %q", body)
	case !strings.Contains(status, "harbour.png was not uploaded: "):
		s.t.Errorf("upload message: %q", status)
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
