package wpimport_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/storetest"
	"github.com/crosstalk/crosstalk/models/wpimport"
	"github.com/crosstalk/crosstalk/models/wxr"
)

var now = time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC)

func openStore(t testing.TB) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), storetest.Target(t), models.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func fixture(t testing.TB) *wxr.Document {
	t.Helper()
	f, err := os.Open("../wxr/testdata/wordpress6.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := wxr.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// uploads makes a copy of wp-content/uploads holding the fixture's photo.
func uploads(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 64, 40)), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "2020", "03"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "2020", "03", "photo.jpg"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func options(t testing.TB) wpimport.Options {
	return wpimport.Options{Markdown: markup.New(), Uploads: uploads(t), Now: func() time.Time { return now }}
}

func run(t testing.TB, s *models.Store, o wpimport.Options) *wpimport.Summary {
	t.Helper()
	sum, err := wpimport.Import(context.Background(), s, fixture(t), o)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func postsBySlug(t testing.TB, s *models.Store) map[string]models.Post {
	t.Helper()
	all, err := s.AllPosts(context.Background(), 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]models.Post{}
	for _, p := range all {
		out[p.Slug] = p
	}
	return out
}

func TestImportWordPress6Export(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	sum := run(t, s, options(t))
	if sum.Posts != 6 || sum.Pages != 2 || sum.Media != 1 || sum.Comments != 4 || sum.Linkbacks != 2 || sum.Users != 2 {
		t.Errorf("summary = %+v", sum)
	}
	if sum.Categories != 2 || sum.Tags != 1 {
		t.Errorf("terms: %d categories, %d tags", sum.Categories, sum.Tags)
	}
	posts := postsBySlug(t, s)
	tests := []struct {
		slug   string
		kind   models.PostKind
		status models.PostStatus
		path   string
	}{
		{"cafe-kuche", models.KindPost, models.StatusPublished, "/2020/03/cafe-kuche"},
		{"a-secret", models.KindPost, models.StatusPrivate, "/2020/03/a-secret"},
		{"unfinished", models.KindPost, models.StatusDraft, ""},
		{"locked", models.KindPost, models.StatusPublished, "/2020/04/locked"},
		{"coming-soon", models.KindPost, models.StatusScheduled, "/2100/01/coming-soon"},
		{"old-news__trashed", models.KindPost, models.StatusTrash, ""},
		{"about", models.KindPage, models.StatusPublished, "/about"},
		{"team", models.KindPage, models.StatusPublished, "/team"},
	}
	for _, tt := range tests {
		p, ok := posts[tt.slug]
		if !ok {
			t.Errorf("no post %q (have %v)", tt.slug, keys(posts))
			continue
		}
		if p.Kind != tt.kind || p.Status != tt.status || (tt.path != "" && p.Path() != tt.path) {
			t.Errorf("%s: %s %s %s", tt.slug, p.Kind, p.Status, p.Path())
		}
	}
	cafe := posts["cafe-kuche"]
	if cafe.Title != "Café & Küche" || cafe.PublishedAt == nil || !cafe.PublishedAt.Equal(time.Date(2020, 3, 15, 11, 30, 0, 0, time.UTC)) {
		t.Errorf("title/date: %q %v", cafe.Title, cafe.PublishedAt)
	}
	if cafe.Excerpt != "Coffee & cake" {
		t.Errorf("excerpt = %q", cafe.Excerpt)
	}
	if len(cafe.Categories) != 1 || cafe.Categories[0].Name != "Café & Küche" || cafe.Categories[0].ParentID == nil {
		t.Errorf("categories = %+v", cafe.Categories)
	}
	if len(cafe.Tags) != 1 || cafe.Tags[0].Slug != "привет" {
		t.Errorf("tags = %+v", cafe.Tags)
	}
	for _, want := range []string{"<!--more-->", "/2020/03/a-secret", "/2020/04/locked#more", "<figcaption>A cup of coffee</figcaption>", `class="gallery"`, `href="https://video.example/watch?v=42"`} {
		if !strings.Contains(cafe.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, cafe.Body)
		}
	}
	for _, bad := range []string{"wp:paragraph", "old.example", "[caption", "srcset"} {
		if strings.Contains(cafe.Body, bad) || strings.Contains(cafe.BodyHTML, bad) {
			t.Errorf("body keeps %q:\n%s", bad, cafe.Body)
		}
	}
	if strings.Contains(cafe.BodyHTML, "<script") || !strings.Contains(cafe.BodyHTML, `src="/media/`) {
		t.Errorf("html not sanitised or images not local:\n%s", cafe.BodyHTML)
	}
	if cafe.FeaturedMediaID == nil {
		t.Error("featured image lost")
	}
	if again, err := markup.New().HTML(context.Background(), cafe.Body); err != nil || again != cafe.BodyHTML {
		t.Errorf("re-rendering the stored body changes the page:\n%s\n---\n%s", again, cafe.BodyHTML)
	}
	if team, about := posts["team"], posts["about"]; team.ParentID == nil || *team.ParentID != about.ID || team.MenuOrder != 2 {
		t.Errorf("page tree lost: %+v", team.ParentID)
	}
	if d := posts["unfinished"]; d.PublishedAt != nil || !d.CreatedAt.Equal(time.Date(2020, 5, 1, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("draft date: %v %v (the local date in the site's zone, UTC+1)", d.PublishedAt, d.CreatedAt)
	}
	if tr := posts["old-news__trashed"]; tr.StatusBeforeTrash != models.StatusPublished || tr.TrashedAt == nil {
		t.Errorf("trash: %+v", tr)
	}
	if posts["locked"].Password != "letmein" {
		t.Error("password lost")
	}

	fb, err := s.AllFeedback(ctx, cafe.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	var carla, dan *models.Feedback
	for i, f := range fb {
		kinds[string(f.Kind)+"/"+string(f.Status)]++
		switch f.AuthorName {
		case "Carla":
			carla = &fb[i]
		case "Dan":
			dan = &fb[i]
		}
	}
	want := map[string]int{"comment/approved": 2, "comment/pending": 1, "comment/trash": 1, "pingback/approved": 1, "trackback/approved": 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%s: %d, want %d (%v)", k, kinds[k], n, kinds)
		}
	}
	if carla == nil || dan == nil || dan.ParentID == nil || *dan.ParentID != carla.ID || carla.Content != "Lovely cake." {
		t.Errorf("threading or text lost: %+v %+v", carla, dan)
	}

	for path, want := range map[string]string{
		"/2020/03/15/café-küche/": "cafe-kuche", "/about/team": "team", "/2020/03/15/café-küche/photo": "",
	} {
		r, err := s.OldPath(ctx, path)
		if want == "" {
			continue
		}
		if err != nil || r.PostID == nil || *r.PostID != posts[want].ID {
			t.Errorf("old path %s: %+v %v", path, r, err)
		}
	}
	for _, path := range []string{"/wp-content/uploads/2020/03/photo.jpg", "/2020/03/15/café-küche/photo/"} {
		if r, err := s.OldPath(ctx, path); err != nil || r.MediaID == nil {
			t.Errorf("old upload or attachment page %s: %+v %v", path, r, err)
		}
	}
	if p, err := s.ImportedPost(ctx, 7); err != nil || p.Slug != "a-secret" {
		t.Errorf("?p=7: %+v %v", p, err)
	}
	if p, err := s.RedirectedPost(ctx, "kaffee"); err != nil || p.ID != cafe.ID {
		t.Errorf("_wp_old_slug: %+v %v", p, err)
	}
	users, _ := s.Users(ctx)
	if len(users) != 2 || users[1].Byline() != "Bob Writer" || users[0].DisplayName != "Ada & Co" || cafe.AuthorID != users[1].ID {
		t.Errorf("users = %+v", users)
	}
	depth, err := s.OutboxDepth(ctx)
	for state, n := range depth {
		if n != 0 || err != nil {
			t.Errorf("importing queued notifications (pings): %d %s %v", n, state, err)
		}
	}
	if models.CheckPassword(&users[0], "") || models.CheckPassword(&users[0], "!imported") {
		t.Error("an imported author can log in without a password")
	}
}

func keys(m map[string]models.Post) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestImportTwiceAddsNothing(t *testing.T) {
	s := openStore(t)
	run(t, s, options(t))
	before := postsBySlug(t, s)
	sum := run(t, s, options(t))
	if sum.Posts+sum.Pages+sum.Media+sum.Comments+sum.Linkbacks+sum.Users+sum.Categories+sum.Tags+sum.Redirects != 0 {
		t.Errorf("second run added %+v", sum)
	}
	if after := postsBySlug(t, s); len(after) != len(before) {
		t.Errorf("%d posts became %d", len(before), len(after))
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	s := openStore(t)
	o := options(t)
	o.DryRun = true
	sum := run(t, s, o)
	if sum.Posts != 6 || sum.Comments != 4 {
		t.Errorf("dry run counted %+v", sum)
	}
	if n := len(postsBySlug(t, s)); n != 0 {
		t.Errorf("dry run stored %d posts", n)
	}
	users, _ := s.Users(context.Background())
	if len(users) != 0 {
		t.Errorf("dry run stored users")
	}
}

func TestWithoutUploadsImagesStayLinkedWithAWarning(t *testing.T) {
	s := openStore(t)
	o := options(t)
	o.Uploads = ""
	sum := run(t, s, o)
	if sum.Media != 0 || len(sum.Warnings) == 0 {
		t.Errorf("summary = %+v", sum)
	}
	if !strings.Contains(strings.Join(sum.Warnings, "\n"), "--uploads") {
		t.Errorf("warnings do not say what to do: %v", sum.Warnings)
	}
}

func TestFetchMediaFromTheOldSite(t *testing.T) {
	s := openStore(t)
	o := options(t)
	dir := o.Uploads
	o.Uploads = ""
	var asked []string
	o.Fetch = func(_ context.Context, u string) ([]byte, error) {
		asked = append(asked, u)
		return os.ReadFile(filepath.Join(dir, "2020", "03", "photo.jpg"))
	}
	o.DryRun = true
	if sum := run(t, s, o); sum.Media != 1 || len(asked) != 0 {
		t.Errorf("dry run: media %d, fetched %v", sum.Media, asked)
	}
	o.DryRun = false
	sum := run(t, s, o)
	if sum.Media != 1 || len(asked) != 1 || asked[0] != "https://old.example/wp-content/uploads/2020/03/photo.jpg" {
		t.Errorf("media %d, fetched %v", sum.Media, asked)
	}
}
