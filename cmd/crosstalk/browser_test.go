package main

import (
	"context"
	"fmt"
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
		{"a hostile TrackBack approved with the keyboard shows as text", func(s *session) { s.trackback(postPath) }},
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
	// The key goes to the new page only once it has loaded, nothing focused yet.
	s.waitFor("the home page after logging out", `() => location.pathname === "/" && document.readyState === "complete" &&
		!document.querySelector(".admin-nav") && document.activeElement === document.body`)
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
	before := s.DialogCount(page.DialogTypeBeforeunload)
	s.click(`.admin-nav a[href$="/admin"]`)
	s.waitFor("the dashboard after leaving", `() => location.pathname === "/admin"`)
	if s.DialogCount(page.DialogTypeBeforeunload) != before+1 {
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
	s.waitFor("a copy of the text in this browser", `() => (localStorage.getItem("crosstalk:unsaved:" +
		document.getElementById("editor").dataset.postId) || "").includes("best sentence")`)
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
