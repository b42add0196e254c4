package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

// avatarGIF is a 1×1 GIF.
const avatarGIF = "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"

// TestMicroformatsOnThePostPage: Webmentions from a peer on another port
// of 127.0.0.1 go through the real engine and the verifier; the post page
// shows the reply as a comment with its author and avatar (served from our
// own address), the like in the row of faces, a hostile author name as
// text with a placeholder for its non-image "photo", and the plain mention
// in the linkbacks list.
func TestMicroformatsOnThePostPage(t *testing.T) {
	e := newEnvWith(t, models.Options{}, PingLimits{PerIPPerMinute: 1000, PerPostPerMinute: 1000})
	c, _ := e.admin()
	path := e.publish(c, "Responded", "x", nil)
	target := testBaseURL + path
	reply := `<article class="h-entry"><div class="p-author h-card"><img class="u-photo" src="/alice.gif" alt="">
<a class="p-name u-url" href="/">Alice</a></div><a class="u-in-reply-to" href="` + target + `">re</a>
<div class="e-content"><p>Nice post.</p><p>Really.</p></div></article>`
	like := `<div class="h-entry"><a class="p-author h-card" href="/bob"><img src="/bob.gif" alt="Bob"></a>
<a class="u-like-of" href="` + target + `">liked</a></div>`
	hostile := `<div class="h-entry"><span class="p-author h-card"><span class="p-name">&lt;script&gt;alert(1)&lt;/script&gt;</span>
<img class="u-photo" src="/evil.png"></span><a class="u-in-reply-to" href="` + target + `">re</a>
<p class="e-content">&lt;img src=x onerror=alert(2)&gt;</p></div>`
	src := sourceSite(t, map[string]string{
		"/reply": reply, "/like": like, "/hostile": hostile,
		"/mention":   `<title>Plain page</title><p>See <a href="` + target + `">this</a>.</p>`,
		"/alice.gif": avatarGIF, "/bob.gif": avatarGIF, "/evil.png": `<svg onload="alert(3)"></svg>`,
	})
	for _, p := range []string{"/reply", "/like", "/hostile", "/mention"} {
		if res := e.webmention(src.URL+p, target); res.status/100 != 2 {
			t.Fatalf("%s: %d", p, res.status)
		}
	}
	v := &jobs.Verifier{Store: e.store, Client: safeclient.New(safeclient.Options{AllowPrivateNetworks: true}),
		BaseURL: testBaseURL, Log: slog.New(slog.DiscardHandler), Now: e.clock.Now, Changed: e.pages.InvalidatePost}
	v.RunOnce(context.Background())
	ids := map[string]int64{}
	for _, f := range linkbacksOf(t, e, models.FeedbackWebmention) {
		ids[strings.TrimPrefix(f.SourceURL, src.URL)] = f.ID
		// Held for moderation, its author's picture is not served yet.
		if held := f.AvatarPath(); held != "" {
			if res := e.get(e.client(), held); res.status != http.StatusNotFound {
				t.Errorf("avatar of a held mention %s: %d", held, res.status)
			}
		}
		if err := e.queue().SetFeedbackStatus(context.Background(), models.ModApproved, f.ID); err != nil {
			t.Fatal(err)
		}
	}
	if len(ids) != 4 {
		t.Fatalf("webmentions stored: %v", ids)
	}
	page := e.get(e.client(), path)
	if page.status != http.StatusOK {
		t.Fatalf("post page: %d", page.status)
	}
	comments := section(t, page.body, `<section class="comments"`)
	linkbacks := section(t, page.body, `<section class="linkbacks"`)
	faces := section(t, page.body, `<section class="reactions"`)

	mustContain(t, comments, `<a class="p-name u-url" href="`+src.URL+`/" rel="nofollow ugc">Alice</a>`, "<p>Nice post.</p><p>Really.</p>",
		`&lt;script&gt;alert(1)&lt;/script&gt;`, `&lt;img src=x onerror=alert(2)&gt;`, `class="avatar avatar-none"`,
		`data-commentid="`+strconv.FormatInt(ids["/reply"], 10)+`" data-author="Alice" aria-label="Reply to Alice">Reply</a>`) // replies are answered like comments
	mustNotContain(t, page.body, "<script>alert(1)", "<img src=x", "<svg")
	mustContain(t, faces, "1 like", `href="`+src.URL+`/bob"`, `title="Bob"`)
	mustNotContain(t, faces, "Alice", "Plain page")
	mustNotContain(t, comments, "Bob", "Plain page")
	mustContain(t, linkbacks, "Plain page")
	mustNotContain(t, linkbacks, "Alice", "Bob", "alert")

	// Every image on the page is ours: avatars are served from /avatars/.
	for _, m := range regexp.MustCompile(`<img[^>]* src="([^"]*)"`).FindAllStringSubmatch(page.body, -1) {
		if !strings.HasPrefix(m[1], "/avatars/") {
			t.Errorf("an image not from this blog: %q", m[1])
		}
	}
	avatar := regexp.MustCompile(`<img class="avatar" src="(/avatars/` + strconv.FormatInt(ids["/reply"], 10) + `/[0-9a-f]{16})"`).FindStringSubmatch(comments)
	if avatar == nil {
		t.Fatalf("no avatar for the reply in %s", comments)
	}
	res := e.get(e.client(), avatar[1])
	if res.status != http.StatusOK || res.body != avatarGIF || res.header.Get("Content-Type") != "image/gif" ||
		res.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.header.Get("Cache-Control"), "immutable") {
		t.Errorf("avatar: %d %q %v", res.status, res.body, res.header)
	}
	if res := e.do(e.client(), "GET", "/avatars/"+strconv.FormatInt(ids["/reply"], 10)+"/0123456789abcdef", nil); res.status != http.StatusMovedPermanently ||
		res.header.Get("Location") != avatar[1] {
		t.Errorf("old avatar address: %d %q", res.status, res.header.Get("Location"))
	}
	for _, p := range []string{"/avatars/" + strconv.FormatInt(ids["/hostile"], 10) + "/0123456789abcdef", "/avatars/x/y"} {
		if res := e.get(e.client(), p); res.status != http.StatusNotFound {
			t.Errorf("%s: %d", p, res.status)
		}
	}

	// Deleting the reply deletes its avatar.
	if err := e.queue().DeleteFeedback(context.Background(), ids["/reply"]); err != nil {
		t.Fatal(err)
	}
	if res := e.get(e.client(), avatar[1]); res.status != http.StatusNotFound {
		t.Errorf("avatar of a deleted reply: %d", res.status)
	}
}

// section returns the part of body from start to the end of its section.
func section(t *testing.T, body, start string) string {
	t.Helper()
	i := strings.Index(body, start)
	if i < 0 {
		t.Fatalf("no %s in the page:\n%s", start, body)
	}
	end := strings.Index(body[i:], "</section>")
	if end < 0 {
		t.Fatalf("%s is not closed", start)
	}
	return body[i : i+end]
}
