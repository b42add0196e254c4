package views

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// TestEveryPageRenders executes each page with typical data, so a misspelled
// field or a broken template fails here rather than in front of a reader.
func TestEveryPageRenders(t *testing.T) {
	v, err := New(Embedded(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	user := &models.User{ID: 1, Name: "admin"}
	post := &models.Post{ID: 7, Kind: models.KindPost, Title: "A <b>title</b>", Slug: "a-title", BodyHTML: "<p>Body</p>",
		Status: models.StatusPublished, PublishedAt: &now, AllowComments: true, Tags: []models.Tag{{Name: "Go", Slug: "go"}}}
	fb := models.Feedback{ID: 3, PostID: 7, Kind: models.FeedbackTrackBack, Title: "<script>x</script>", SourceURL: "https://o.example/", CreatedAt: now}
	notify := NotifyList{PostID: 7, CSRFToken: "tok", Refresh: "/admin/posts/7/notifications", Rows: []NotifyRow{
		{URL: "https://a.example/", State: "pending", Label: "will be notified", CanSkip: true},
		{ID: 3, URL: "https://b.example/<script>x</script>", Protocol: "TrackBack", State: "failed", Label: "failed",
			Message: "Refused: <script>x</script>", When: "2026-11-30 12:00:00 UTC", CanRetry: true},
	}}
	admin := Layout{Site: models.DefaultSite(), User: user, CSRFToken: "tok", Admin: true, Pending: 2}
	pages := map[string]any{
		"post": PostPage{Layout: Layout{Site: models.DefaultSite(), PingURL: "http://b/trackback/7"}, Post: post, Linkbacks: []models.Feedback{fb},
			Comments: []models.Feedback{{ID: 4, AuthorName: "Ann", Content: "Hi", CreatedAt: now}}, CommentsOpen: true,
			Threads: []CommentNode{{Feedback: &models.Feedback{ID: 4, Kind: models.FeedbackComment, AuthorName: "<script>x</script>", Content: "<script>x</script>", CreatedAt: now},
				Depth: 1, ReplyURL: "/2026/11/a-title?replytocom=4#respond", AvatarURL: "/identicons/00.svg", Children: []CommentNode{
					{Feedback: &models.Feedback{ID: 5, Kind: models.FeedbackComment, AuthorName: "Bob", Content: "Re", CreatedAt: now}, Depth: 2, Pending: true}}}},
			CommentForm: CommentForm{ParentID: 4, ReplyTo: "<script>x</script>", CancelURL: "/2026/11/a-title#respond", Remember: true}},
		"list":            ListPage{Layout: Layout{Site: models.DefaultSite()}, Posts: []models.Post{*post}, Months: []models.MonthCount{{Year: 2026, Month: 11, Count: 1}}, NextURL: "/?page=2"},
		"error":           ErrorPage{Layout: Layout{Site: models.DefaultSite()}, Status: 404, Heading: "Page not found"},
		"login":           LoginPage{Layout: Layout{Site: models.DefaultSite(), CSRFToken: "tok"}, Resume: "abc", Error: "Wrong"},
		"setup":           SetupPage{Layout: Layout{Site: models.DefaultSite(), CSRFToken: "tok"}, Errors: map[string]string{"name": "bad"}},
		"admin_dashboard": DashboardPage{Layout: admin, Drafts: []models.Post{*post}, Recent: []models.Post{*post}, Published: 3},
		"admin_posts":     PostsPage{Layout: admin, Kind: models.KindPost, Posts: []models.Post{*post}},
		"admin_edit": EditPage{Layout: admin, Form: PostForm{Kind: "post", Title: "T", Status: "draft"}, Post: post, Errors: map[string]string{"title": "x"}, Preview: template.HTML("<p>p</p>"),
			Notify: notify},
		"admin_notify": NotifyPage{Layout: admin, Post: post, Notify: notify},
		"admin_queue": QueuePage{Layout: admin, Status: models.ModPending, Counts: map[models.ModerationStatus]int{models.ModPending: 2},
			Items: []models.QueueItem{{Feedback: fb, PostTitle: "A"}, {Feedback: models.Feedback{ID: 9, ParentID: &fb.ID, Kind: models.FeedbackComment}, ParentAuthor: "<script>x</script>"}}, Statuses: models.ModerationStatuses, Kinds: models.FeedbackKinds},
		"admin_settings": SettingsPage{Layout: admin, Form: models.DefaultSite()},
		"admin_confirm":  ConfirmPage{Layout: admin, Heading: "Delete?", Action: "/x", Button: "Delete", Cancel: "/y"},
		"admin_media": MediaPage{Layout: admin, MaxUpload: "10 MiB", Error: "Only PNG", NextURL: "/admin/media?page=2",
			Items: []MediaItem{{ID: 1, Name: "a.png", URL: "http://b/media/1/a.png", Type: "image/png", Size: 2048, Uploaded: "2026-11-30"}}},
		"admin_app_passwords": AppPasswordsPage{Layout: admin, NewToken: "abcd efgh", Endpoint: "http://b/xmlrpc", RSD: "http://b/rsd.xml",
			Errors: map[string]string{"name": "x"}, Items: []models.AppPassword{{ID: 1, Name: "<script>x</script>", CreatedAt: now, LastUsedAt: &now}}},
		"post_password": PasswordPage{Layout: Layout{Site: models.DefaultSite(), NoIndex: true}, Post: post, Action: "/postpass/7", Wrong: true},
		"search": SearchPage{Layout: Layout{Site: models.DefaultSite(), Search: "<script>x</script>", Menu: []MenuItem{{Title: "<script>x</script>", URL: "/about",
			Children: []MenuItem{{Title: "Team", URL: "/team", Current: true}}}}}, Query: "<script>x</script>", Total: 11, Page: 2,
			Hits: []SearchHit{{Post: *post, Snippet: Highlight("a \x02<script>x</script>\x03 b")}}, PrevURL: "/?s=x", NextURL: "/?s=x&page=3"},
		"admin_followers": FollowersPage{Layout: admin, Handle: "@blog@b",
			Items: []models.Follower{{ID: 1, ActorID: "https://m.example/users/<script>x</script>", LocalActor: "blog", CreatedAt: now}, {ID: 2, Blocked: true}}},
		"webmention_status": WebmentionStatusPage{Layout: Layout{Site: models.DefaultSite(), NoIndex: true}, Status: "refused",
			Source: "https://s.example/<script>x</script>", Target: "http://b/2026/11/t", Summary: "Refused: <script>x</script>."},
		"admin_users":   UsersPage{Layout: admin, Users: []models.User{*user}, Roles: models.Roles(), Errors: map[string]string{"name": "x"}},
		"admin_user":    UserPage{Layout: admin, Form: models.User{ID: 2, Name: "ann"}, Roles: models.Roles(), Others: []models.User{*user}, ResetLink: "http://b/login/reset?token=t"},
		"admin_profile": ProfilePage{Layout: admin, Form: *user, PasswordErrors: map[string]string{"current_password": "x"}},
		"admin_revisions": RevisionsPage{Layout: admin, Post: post, Revisions: []models.Revision{{ID: 1, Title: "<script>x</script>", CreatedAt: now}},
			Shown: &models.Revision{ID: 1, Title: "Old"}, TitleChanged: true, Diff: []DiffLine{{Op: "-", Text: "<script>x</script>"}, {Op: "+", Text: "new"}}},
		"password_reset": PasswordResetPage{Layout: Layout{Site: models.DefaultSite(), CSRFToken: "tok"}, Step: "reset", Token: "t"},
	}
	for _, name := range Pages {
		data, ok := pages[name]
		if !ok {
			t.Errorf("no test data for page %q", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := v.Render(&buf, name, data); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "</html>") {
				t.Errorf("not a whole page: %.200s", out)
			}
			if strings.Contains(out, "<script>x</script>") || strings.Contains(out, "A <b>title</b>") {
				t.Error("unescaped user text")
			}
		})
	}
}

func TestRenderFailureWritesNothing(t *testing.T) {
	v, err := New(Embedded(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := v.Render(&buf, "post", struct{ Layout }{}); err == nil {
		t.Fatal("rendering with the wrong data type must fail")
	}
	if buf.Len() != 0 {
		t.Errorf("a failed render wrote %d bytes", buf.Len())
	}
}

func TestMissingOrUndeclaredPageFailsStartup(t *testing.T) {
	base := fstest.MapFS{
		"layout.html":       {Data: []byte(`{{define "layout"}}{{template "content" .}}{{end}}`)},
		"partials/nav.html": {Data: []byte(`{{define "nav"}}{{end}}`)},
	}
	for _, p := range Pages {
		base["pages/"+p+".html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}x{{end}}`)}
	}
	if _, err := New(base, Options{}); err != nil {
		t.Fatalf("complete set: %v", err)
	}
	missing := fstest.MapFS{}
	for k, f := range base {
		if k != "pages/post.html" {
			missing[k] = f
		}
	}
	if _, err := New(missing, Options{}); err == nil {
		t.Error("a missing page template must fail start-up")
	}
	base["pages/stray.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}x{{end}}`)}
	if _, err := New(base, Options{}); err == nil || !strings.Contains(err.Error(), "stray") {
		t.Errorf("an undeclared page must fail start-up, got %v", err)
	}
}

func TestHighlightEscapesAllButTheMarks(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain <b>&", "plain &amp;"},
		{"5 < 6 & a<b", "5 &lt; 6 &amp; a&lt;b"},
		{"a \x02word\x03 b", "a <mark>word</mark> b"},
		{"\x03stray\x02open", "stray<mark>open</mark>"},
		{"\x02\x02twice\x03\x03", "<mark>twice</mark>"},
		{"x\x02<script>alert(1)</script>\x03", "x<mark>alert(1)</mark>"},
		{"<p>Posted by <em>\x02xmlrpc\x03.client</em>.</p>", "Posted by <mark>xmlrpc</mark>.client."},
		{"See **the [\x02docs\x03](https://x.example/a_b)** and ![pic](/m.png) `code`", "See the <mark>docs</mark> and pic code"},
		{"## Heading\n> quote\nsnake_case", "Heading quote snake_case"},
	} {
		if got := string(Highlight(tc.in)); got != tc.want {
			t.Errorf("Highlight(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
