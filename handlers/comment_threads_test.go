package handlers

import (
	"context"
	"crypto/md5" //nolint:gosec // G501: only to prove the page carries no Gravatar-style hash
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// threadEnv is a post with a small discussion, comment limits off.
type threadEnv struct {
	*testEnv
	owner     *http.Client
	user      *models.User
	path      string
	postID    int64
	ann, bob  int64 // ann heads a thread, bob replied to her
	carl      int64 // carl replied to bob: depth 3
	held      int64 // awaiting moderation
	elsewhere int64 // on another post
}

func newThreadEnv(t *testing.T, settings map[string]string) *threadEnv {
	t.Helper()
	e := newEnv(t)
	c, u := e.admin()
	te := &threadEnv{testEnv: e, owner: c, user: u, path: e.publish(c, "Threads", "Talk", nil)}
	e.publish(c, "Other", "Elsewhere", nil)
	te.postID = e.postID("threads")
	ctx := context.Background()
	all := map[string]string{models.SettingCommentInterval: "0", models.SettingCommentsPerPost: "10000"}
	for k, v := range settings {
		all[k] = v
	}
	if err := e.store.SetSettings(ctx, all); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(6 * time.Second) // past the settings cache
	add := func(postID int64, name string, status models.ModerationStatus, parent int64) int64 {
		t.Helper()
		f := &models.Feedback{PostID: postID, Kind: models.FeedbackComment, Status: status, AuthorName: name,
			AuthorEmail: strings.ToLower(name) + "@example.com", Content: "I am " + name + "."}
		if parent != 0 {
			f.ParentID = &parent
		}
		if _, err := e.store.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	te.ann = add(te.postID, "Ann", models.ModApproved, 0)
	te.bob = add(te.postID, "Bob", models.ModApproved, te.ann)
	te.carl = add(te.postID, "Carl", models.ModApproved, te.bob)
	te.held = add(te.postID, "Hal", models.ModPending, 0)
	te.elsewhere = add(e.postID("other"), "Olga", models.ModApproved, 0)
	e.pages.InvalidateAll()
	return te
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// newest is the last item stored.
func (te *threadEnv) newest(t *testing.T) models.QueueItem {
	t.Helper()
	items, err := te.store.Queue(context.Background(), models.QueueFilter{Status: "", Limit: 1})
	if err != nil || len(items) == 0 {
		t.Fatalf("queue: %v", err)
	}
	return items[0]
}

// TestCommentReplies posts replies through the form: under an approved
// comment of the same post, capped at the thread depth, refused (with the
// reader's text kept) for any other parent.
func TestCommentReplies(t *testing.T) {
	te := newThreadEnv(t, map[string]string{models.SettingThreadDepth: "3"})
	tests := []struct {
		name       string
		form       url.Values
		status     int
		wantParent int64 // 0: a thread of its own
		body       []string
	}{
		{"reply", url.Values{"comment_parent": {id(te.ann)}, "email": {"r@example.com"}, "notify_replies": {"1"}}, http.StatusSeeOther, te.ann, nil},
		{"reply below the depth goes to the deepest allowed", url.Values{"comment_parent": {id(te.carl)}}, http.StatusSeeOther, te.bob, nil},
		{"no parent", url.Values{"comment_parent": {"0"}}, http.StatusSeeOther, 0, nil},
		{"garbage parent is a new thread", url.Values{"comment_parent": {"x"}}, http.StatusSeeOther, 0, nil},
		{"held parent", url.Values{"comment_parent": {id(te.held)}}, http.StatusBadRequest, 0,
			[]string{"not open for replies", "My reply text", `id="comment_parent" value="0"`}},
		{"another post's comment", url.Values{"comment_parent": {id(te.elsewhere)}}, http.StatusBadRequest, 0, []string{"not open for replies", "My reply text"}},
		{"missing parent", url.Values{"comment_parent": {"99999"}}, http.StatusBadRequest, 0, []string{"not open for replies"}},
		{"notify without email", url.Values{"comment_parent": {id(te.ann)}, "notify_replies": {"1"}}, http.StatusBadRequest, 0,
			[]string{"Give your email to be told of replies", "My reply text", "Reply to Ann"}},
	}
	reader := te.client()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := te.newest(t).ID
			form := url.Values{"name": {"Rita"}, "content": {"My reply text"}}
			for k, v := range tt.form {
				form[k] = v
			}
			res := te.do(reader, "POST", "/comments/"+id(te.postID), form)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", res.status, tt.status, res.body)
			}
			mustContain(t, res.body, tt.body...)
			got := te.newest(t)
			if tt.status != http.StatusSeeOther {
				if got.ID != before {
					t.Error("a refused reply was stored")
				}
				return
			}
			if got.ID == before || got.Status != models.ModPending {
				t.Fatalf("not stored as held: %+v", got)
			}
			if (got.ParentID == nil) != (tt.wantParent == 0) || (got.ParentID != nil && *got.ParentID != tt.wantParent) {
				t.Errorf("parent %v, want %d", got.ParentID, tt.wantParent)
			}
			if got.NotifyReplies != (tt.form.Get("notify_replies") != "") {
				t.Errorf("NotifyReplies = %v", got.NotifyReplies)
			}
			// The held reply is shown to its author, in place, with its note.
			loc := res.header.Get("Location")
			if want := te.path + "?unapproved=" + id(got.ID) + "&moderation-hash="; !strings.HasPrefix(loc, want) ||
				!strings.HasSuffix(loc, "#comment-"+id(got.ID)) {
				t.Fatalf("Location %q", loc)
			}
			own := te.get(reader, loc)
			mustContain(t, own.body, `id="comment-`+id(got.ID)+`"`, "Your comment is awaiting moderation", `<meta name="robots" content="noindex">`)
			if own.header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("Cache-Control %q", own.header.Get("Cache-Control"))
			}
			forged := te.get(reader, strings.Split(loc, "&moderation-hash=")[0]+"&moderation-hash=0000")
			mustNotContain(t, forged.body, "awaiting moderation")
		})
	}
	// The queue says whom a reply answers.
	mustContain(t, te.get(te.owner, "/admin/queue").body, `in reply to <a href="`+te.path+`#comment-`+id(te.ann)+`">Ann</a>`)
}

// TestThreadedCommentsPage: replies are nested, Reply links stop at the
// thread depth and work without JavaScript (?replytocom, never cached).
func TestThreadedCommentsPage(t *testing.T) {
	te := newThreadEnv(t, map[string]string{models.SettingThreadDepth: "3"})
	reader := te.client()
	page := te.get(reader, te.path)
	annThread := page.body[strings.Index(page.body, `id="comment-`+id(te.ann)+`"`):]
	annThread = annThread[:strings.Index(annThread, `</ol></li>`)]
	mustContain(t, annThread, `<ol class="children">`, `id="comment-`+id(te.bob)+`"`, `id="comment-`+id(te.carl)+`"`)
	for _, c := range []int64{te.ann, te.bob} {
		mustContain(t, page.body, `<a class="comment-reply-link" href="`+te.path+`?replytocom=`+id(c)+`#respond" rel="nofollow" data-commentid="`+id(c)+`"`)
	}
	mustNotContain(t, page.body, "replytocom="+id(te.carl), "I am Hal") // at the depth; held
	if page.header.Get("ETag") == "" && te.get(reader, te.path).header.Get("ETag") == "" {
		t.Error("the plain post page is not cached")
	}

	cached := te.pages.Len()
	reply := te.get(reader, te.path+"?replytocom="+id(te.bob))
	mustContain(t, reply.body, `<span id="reply-title-text">Reply to Bob</span>`, `id="comment_parent" value="`+id(te.bob)+`"`,
		`<meta name="robots" content="noindex">`, `id="cancel-comment-reply-link" rel="nofollow" href="`+te.path+`#respond">`)
	if reply.header.Get("Cache-Control") != "private, no-store" || te.pages.Len() != cached {
		t.Errorf("reply form: Cache-Control %q, %d pages cached (was %d)", reply.header.Get("Cache-Control"), te.pages.Len(), cached)
	}
	for _, bad := range []int64{te.held, te.elsewhere, 99999} {
		res := te.get(reader, te.path+"?replytocom="+id(bad))
		mustContain(t, res.body, `<span id="reply-title-text">Leave a comment</span>`, `id="comment_parent" value="0"`)
	}

	// Flat comments: no Reply links, replies follow their thread's head.
	if err := te.store.SetSettings(context.Background(), map[string]string{models.SettingThreadDepth: "1"}); err != nil {
		t.Fatal(err)
	}
	te.clock.Advance(6 * time.Second)
	te.pages.InvalidateAll()
	flat := te.get(reader, te.path)
	mustNotContain(t, flat.body, `class="comment-reply-link"`, `<ol class="children">`)
	if ids := shownComments(flat.body); strings.Join(ids, ",") != strings.Join([]string{id(te.ann), id(te.bob), id(te.carl)}, ",") {
		t.Errorf("flat order %v", ids)
	}
}

// TestCommentFormatting: paragraphs and line breaks stay, bare addresses
// become nofollow ugc links, everything else is escaped.
func TestCommentFormatting(t *testing.T) {
	te := newThreadEnv(t, map[string]string{models.SettingModerateAll: "false"})
	reader := te.client()
	res := te.do(reader, "POST", "/comments/"+id(te.postID), url.Values{"name": {`<b>Mallory</b>`}, "url": {"https://m.example/"},
		"content": {"<script>alert(1)</script>\nsee javascript:alert(2) and https://ok.example/a?b=1&c=2.\n\n<a href=\"javascript:x\">click</a> second"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.status)
	}
	stored := te.newest(t)
	if loc := res.header.Get("Location"); stored.Status != models.ModApproved || loc != te.path+"#comment-"+id(stored.ID) {
		t.Fatalf("approved comment sent to %q (%s)", loc, stored.Status)
	}
	page := te.get(reader, te.path).body
	mustContain(t, page,
		`<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>`+"\n"+`see javascript:alert(2) and <a href="https://ok.example/a?b=1&amp;c=2" rel="nofollow ugc">https://ok.example/a?b=1&amp;c=2</a>.</p><p>&lt;a href=&#34;javascript:x&#34;&gt;click&lt;/a&gt; second</p>`,
		`&lt;b&gt;Mallory&lt;/b&gt;`, `href="https://m.example/" rel="nofollow ugc"`)
	mustNotContain(t, page, "<script>alert", `href="javascript:`, "<b>Mallory")
}

// TestCommentPagesKeepThreads: 50 threads a page, each whole, replies
// counted with their thread, and a reply sent to its thread's page.
func TestCommentPagesKeepThreads(t *testing.T) {
	te := newThreadEnv(t, nil) // ann's thread (3 comments) is the first
	ctx := context.Background()
	var last int64
	for i := 0; i < 50; i++ {
		f := &models.Feedback{PostID: te.postID, Kind: models.FeedbackComment, Status: models.ModApproved, AuthorName: "T", Content: "thread"}
		if _, err := te.store.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
		last = f.ID
	}
	for i := 0; i < 60; i++ { // replies after every thread began, under the first and the last
		parent := te.ann
		if i%2 == 1 {
			parent = last
		}
		f := &models.Feedback{PostID: te.postID, Kind: models.FeedbackComment, Status: models.ModApproved, AuthorName: "R", Content: "reply", ParentID: &parent}
		if _, err := te.store.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	te.pages.InvalidateAll()
	reader := te.client()
	tests := []struct {
		name        string
		newestFirst string
		page        string
		comments    int
		first       int64
	}{
		{"oldest first, page 1", "false", "", 50 + 2 + 30, te.ann},
		{"oldest first, page 2", "false", "?cpage=2", 1 + 30, last},
		{"newest first, page 1", "true", "", 50 + 30, last},
		{"newest first, page 2", "true", "?cpage=2", 1 + 2 + 30, te.ann},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := te.store.SetSettings(ctx, map[string]string{models.SettingNewestFirst: tt.newestFirst}); err != nil {
				t.Fatal(err)
			}
			te.clock.Advance(6 * time.Second)
			te.pages.InvalidateAll()
			res := te.get(reader, te.path+tt.page)
			ids := shownComments(res.body)
			if res.status != http.StatusOK || len(ids) != tt.comments || ids[0] != id(tt.first) {
				t.Fatalf("%d: %d comments from %v, want %d from %d", res.status, len(ids), ids[:min(1, len(ids))], tt.comments, tt.first)
			}
		})
	}
	if res := te.get(reader, te.path+"?cpage=3"); res.status != http.StatusNotFound {
		t.Errorf("page 3: %d", res.status)
	}
	// Oldest first again: a reply to the last thread is shown on page 2.
	if err := te.store.SetSettings(ctx, map[string]string{models.SettingNewestFirst: "false"}); err != nil {
		t.Fatal(err)
	}
	te.clock.Advance(6 * time.Second)
	res := te.do(reader, "POST", "/comments/"+id(te.postID), url.Values{"name": {"Rita"}, "content": {"late"}, "comment_parent": {id(last)}})
	if loc := res.header.Get("Location"); !strings.HasPrefix(loc, te.path+"?cpage=2&unapproved=") {
		t.Errorf("reply on page 2 sent to %q", loc)
	}
}

// TestCommentAvatarsAndMemory: avatars are drawn here from a keyed hash
// (Gravatar only when chosen), and the remembered details live in a cookie
// that changes nothing in the page's bytes.
func TestCommentAvatarsAndMemory(t *testing.T) {
	te := newThreadEnv(t, nil)
	reader := te.client()
	page := te.get(reader, te.path)
	md := md5.Sum([]byte("ann@example.com")) //nolint:gosec // G401: the hash Gravatar used
	sh := sha256.Sum256([]byte("ann@example.com"))
	mustNotContain(t, page.body, hex.EncodeToString(md[:]), hex.EncodeToString(sh[:]), "gravatar.com", "ann@example.com")
	i := strings.Index(page.body, `src="/identicons/`)
	if i < 0 {
		t.Fatal("no generated avatar")
	}
	src := page.body[i+5 : i+5+len("/identicons/")+32+len(".svg")]
	svg := te.get(reader, src)
	if svg.status != http.StatusOK || svg.header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(svg.body, "<svg") ||
		!strings.Contains(svg.header.Get("Cache-Control"), "immutable") {
		t.Errorf("identicon %s: %d %s %.80s", src, svg.status, svg.header.Get("Content-Type"), svg.body)
	}
	for _, bad := range []string{"/identicons/zz.svg", "/identicons/" + strings.Repeat("a", 32) + ".png", "/identicons/" + strings.Repeat("a", 64) + ".svg"} {
		if res := te.get(reader, bad); res.status != http.StatusNotFound {
			t.Errorf("%s: %d", bad, res.status)
		}
	}

	// Gravatar, once chosen: its address in the page and in the policy, cached pages too.
	if err := te.store.SetSettings(context.Background(), map[string]string{models.SettingGravatar: "true"}); err != nil {
		t.Fatal(err)
	}
	te.clock.Advance(6 * time.Second)
	te.pages.InvalidateAll()
	for range 2 { // rendered, then from the cache
		res := te.get(reader, te.path)
		mustContain(t, res.body, "https://www.gravatar.com/avatar/"+hex.EncodeToString(sh[:])+"?s=64&amp;d=identicon")
		if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://www.gravatar.com") {
			t.Errorf("CSP %q", csp)
		}
	}

	// Remembered: a cookie set on request, cleared when the box is left unticked.
	form := url.Values{"name": {"Rita Reader"}, "email": {"rita@example.com"}, "url": {"https://rita.example/"}, "content": {"hi"}, "remember": {"yes"}}
	res := te.do(reader, "POST", "/comments/"+id(te.postID), form)
	ck := res.header.Get("Set-Cookie")
	if !strings.HasPrefix(ck, commenterCookie+"=") || !strings.Contains(ck, "rita%40example.com") || strings.Contains(ck, "HttpOnly") {
		t.Fatalf("Set-Cookie %q", ck)
	}
	cached := te.get(reader, te.path)
	mustNotContain(t, cached.body, "Rita Reader", "rita@example.com")
	mustContain(t, te.get(reader, te.path+"?replytocom="+id(te.ann)).body, `value="Rita Reader"`, `value="rita@example.com"`,
		`value="https://rita.example/"`, `id="c-remember" name="remember" type="checkbox" value="yes" checked`)
	form.Del("remember")
	res = te.do(reader, "POST", "/comments/"+id(te.postID), form)
	if ck := res.header.Get("Set-Cookie"); !strings.HasPrefix(ck, commenterCookie+"=;") || !strings.Contains(ck, "Max-Age=0") {
		t.Errorf("unticked: Set-Cookie %q", ck)
	}
}

// TestThreadDepthSetting: the settings form keeps the thread depth and the
// Gravatar choice, and refuses a depth out of range.
func TestThreadDepthSetting(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	mustContain(t, e.get(c, "/admin/settings").body, `name="thread_depth"`, `value="5"`, `name="gravatar"`, "hash of each commenter")
	tests := []struct {
		depth, gravatar string
		status          int
		want            string
	}{
		{"3", "1", http.StatusSeeOther, "3"},
		{"1", "", http.StatusSeeOther, "1"},
		{"11", "", http.StatusBadRequest, "1"},
		{"x", "", http.StatusBadRequest, "1"},
	}
	for _, tt := range tests {
		form := url.Values{"title": {"Blog"}, "posts_per_page": {"10"}, "thread_depth": {tt.depth}, "gravatar": {tt.gravatar}}
		res := e.post(c, "/admin/settings", "/admin/settings", form)
		raw, _ := e.store.Settings(context.Background())
		if res.status != tt.status || raw[models.SettingThreadDepth] != tt.want ||
			(tt.status == http.StatusSeeOther && raw[models.SettingGravatar] != strconv.FormatBool(tt.gravatar != "")) {
			t.Errorf("depth %q: %d, stored %q gravatar %q", tt.depth, res.status, raw[models.SettingThreadDepth], raw[models.SettingGravatar])
		}
	}
}
