package wpimport_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/wpimport"
	"github.com/crosstalk/crosstalk/models/wxr"
)

// snapshot describes a blog in terms that must survive a round trip.
func snapshot(t *testing.T, s *models.Store) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	posts, err := s.AllPosts(ctx, 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	slugs := map[int64]string{}
	for _, p := range posts {
		slugs[p.ID] = p.Slug
	}
	users, _ := s.Users(ctx)
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
		out = append(out, fmt.Sprintf("user %s %q %s", u.Name, u.DisplayName, u.Email))
	}
	for _, p := range posts {
		parent := ""
		if p.ParentID != nil {
			parent = slugs[*p.ParentID]
		}
		var terms []string
		for _, c := range p.Categories {
			terms = append(terms, "c:"+c.Name)
		}
		for _, tg := range p.Tags {
			terms = append(terms, "t:"+tg.Name)
		}
		out = append(out, fmt.Sprintf("post %s %s %s %q by %s at %v/%v parent=%s order=%d pw=%q terms=%v featured=%v text=%q links=%v",
			p.Kind, p.Slug, p.Status, p.Title, names[p.AuthorID], p.PublishedAt, p.CreatedAt, parent, p.MenuOrder,
			p.Password, terms, p.FeaturedMediaID != nil, markup.Text(p.BodyHTML), localLinks(p.BodyHTML)))
		old, err := s.OldSlugs(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(old) > 0 {
			out = append(out, fmt.Sprintf("old slugs of %s: %v", p.Slug, old))
		}
		fb, err := s.AllFeedback(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		authors := map[int64]string{}
		for _, f := range fb {
			authors[f.ID] = f.AuthorName
		}
		for _, f := range fb {
			parent := ""
			if f.ParentID != nil {
				parent = authors[*f.ParentID]
			}
			out = append(out, fmt.Sprintf("feedback on %s: %s %s %s %s %q %q at %v reply-to=%s", p.Slug, f.Kind, f.ResponseType, f.Status,
				f.AuthorName, f.SourceURL, f.Content, f.CreatedAt, parent))
		}
	}
	cats, _ := s.Categories(ctx)
	for _, c := range cats {
		out = append(out, fmt.Sprintf("category %s %q parent=%v", c.Slug, c.Name, c.ParentID != nil))
	}
	media, _ := s.MediaAfter(ctx, 0, 100)
	for _, m := range media {
		out = append(out, "media "+m.Name+" "+m.SHA256)
	}
	sort.Strings(out)
	return out
}

func localLinks(h string) []string {
	var out []string
	for _, f := range strings.Fields(strings.NewReplacer(`"`, " ", `'`, " ").Replace(h)) {
		if strings.HasPrefix(f, "/") {
			out = append(out, f)
		}
	}
	return out
}

func TestExportThenImportIsTheSameBlog(t *testing.T) {
	ctx := context.Background()
	a := openStore(t)
	run(t, a, options(t))
	cafe, err := a.PostBySlug(ctx, models.KindPost, "cafe-kuche")
	if err != nil {
		t.Fatal(err)
	}
	like := &models.Feedback{PostID: cafe.ID, Kind: models.FeedbackWebmention, Status: models.ModApproved, SourceURL: "https://fan.example/like",
		AuthorName: "Fan", Verification: models.VerificationVerified, ResponseType: models.ResponseLike}
	if _, err := a.AddFeedback(ctx, like); err != nil {
		t.Fatal(err)
	}
	cafe.Slug = "cafe-kuche-renamed" // a rename after the move leaves an old slug too
	if err := a.UpdatePost(ctx, cafe, nil); err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	sum, err := wpimport.Export(ctx, a, &file, wpimport.ExportOptions{BaseURL: "https://blog-a.example", Title: "A", Markdown: markup.New()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Posts != 6 || sum.Pages != 2 || sum.Media != 1 || sum.Comments != 4 || sum.Linkbacks != 3 {
		t.Errorf("export summary = %+v", sum)
	}
	out := file.String()
	for _, want := range []string{`xmlns:wp="http://wordpress.org/export/1.2/"`, "<wp:wxr_version>1.2</wp:wxr_version>",
		"<wp:status><![CDATA[private]]></wp:status>", "<!--more-->", "<wp:meta_key><![CDATA[_wp_old_slug]]></wp:meta_key>",
		"<wp:meta_value><![CDATA[cafe-kuche]]></wp:meta_value>", `https://blog-a.example/media/1/photo.jpg`} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	doc, err := wxr.Parse(&file)
	if err != nil {
		t.Fatal(err)
	}
	b := openStore(t)
	o := options(t)
	o.Uploads = ""
	o.Fetch = func(ctx context.Context, raw string) ([]byte, error) { // the old blog serves its media
		u, _ := url.Parse(raw)
		parts := strings.Split(u.Path, "/")
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		m, err := a.MediaByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return m.Data, nil
	}
	if _, err := wpimport.Import(ctx, b, doc, o); err != nil {
		t.Fatal(err)
	}
	before, after := snapshot(t, a), snapshot(t, b)
	if len(before) != 21 {
		t.Fatalf("snapshot too small: %v", before)
	}
	if strings.Join(before, "\n") != strings.Join(after, "\n") {
		for i := range max(len(before), len(after)) {
			var x, y string
			if i < len(before) {
				x = before[i]
			}
			if i < len(after) {
				y = after[i]
			}
			if x != y {
				t.Errorf("round trip changed:\n  %s\n  %s", x, y)
			}
		}
	}
}
