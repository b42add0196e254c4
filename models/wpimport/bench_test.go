package wpimport_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/wpimport"
	"github.com/crosstalk/crosstalk/models/wxr"
)

// bigExport writes a WXR file of posts, each with comments (every third a
// reply), in categories and tags, as WordPress would.
func bigExport(tb testing.TB, posts, commentsPerPost int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := wxr.NewWriter(&buf)
	ch := wxr.Channel{Title: "Big", Link: "https://big.example", BaseSiteURL: "https://big.example", BaseBlogURL: "https://big.example",
		Authors: []wxr.Author{{ID: 1, Login: "admin", Email: "a@big.example", DisplayName: "Admin"}}}
	for i := range 20 {
		ch.Categories = append(ch.Categories, wxr.Category{TermID: int64(i + 1), Nicename: fmt.Sprintf("cat-%d", i), Name: fmt.Sprintf("Cat %d", i)})
	}
	if err := w.Begin(&ch); err != nil {
		tb.Fatal(err)
	}
	start := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	cid := int64(1)
	for i := range posts {
		at := start.Add(time.Duration(i) * 7 * time.Hour)
		it := wxr.Item{Title: fmt.Sprintf("Post number %d &amp; more", i), Link: fmt.Sprintf("https://big.example/%d/post-%d/", at.Year(), i),
			Creator: "admin", GUID: fmt.Sprintf("https://big.example/?p=%d", i+1), ID: int64(i + 1),
			Content: fmt.Sprintf("<!-- wp:paragraph -->\n<p>Text of post %d, linking <a href=\"https://big.example/?p=%d\">the one before</a>.</p>\n<!-- /wp:paragraph -->\n\n<!--more-->\n\nMore text\nwith a line break.", i, i),
			Date:    at.Format(wxr.DateLayout), DateGMT: at.Format(wxr.DateLayout), Modified: at.Format(wxr.DateLayout), ModifiedGMT: at.Format(wxr.DateLayout),
			CommentStatus: "open", PingStatus: "open", Name: fmt.Sprintf("post-%d", i), Status: "publish", Type: "post",
			Terms: []wxr.ItemTerm{{Domain: "category", Nicename: fmt.Sprintf("cat-%d", i%20), Name: fmt.Sprintf("Cat %d", i%20)},
				{Domain: "post_tag", Nicename: fmt.Sprintf("tag-%d", i%100), Name: fmt.Sprintf("Tag %d", i%100)}}}
		for j := range commentsPerPost {
			c := wxr.Comment{ID: cid, Author: fmt.Sprintf("Reader %d", j), AuthorEmail: "r@example.org", AuthorIP: "192.0.2.1",
				Date: at.Add(time.Hour).Format(wxr.DateLayout), DateGMT: at.Add(time.Hour).Format(wxr.DateLayout),
				Content: fmt.Sprintf("Comment %d on post %d", j, i), Approved: "1", Type: "comment"}
			if j%3 == 2 {
				c.Parent = cid - 1
			}
			it.Comments = append(it.Comments, c)
			cid++
		}
		if err := w.Item(&it); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImport5000Posts50000Comments is the figure: parse and
// import 5,000 posts with 50,000 comments into an empty SQLite database.
//
//	go test -run '^$' -bench Import5000 -benchtime 1x ./models/wpimport/
func BenchmarkImport5000Posts50000Comments(b *testing.B) {
	file := bigExport(b, 5000, 10)
	b.ResetTimer()
	for range b.N {
		s := openStore(b)
		doc, err := wxr.Parse(bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		sum, err := wpimport.Import(context.Background(), s, doc, wpimport.Options{Markdown: markup.New()})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Posts != 5000 || sum.Comments != 50000 {
			b.Fatalf("imported %+v", sum)
		}
	}
	b.ReportMetric(float64(len(file))/(1<<20), "MiB-file")
}

// TestImportAtSize imports a mid-sized blog whole (the speed figure is
// BenchmarkImport5000's: a timed test would only measure the machine).
func TestImportAtSize(t *testing.T) {
	file := bigExport(t, 500, 10)
	s := openStore(t)
	doc, err := wxr.Parse(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := wpimport.Import(context.Background(), s, doc, wpimport.Options{Markdown: markup.New()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Posts != 500 || sum.Comments != 5000 {
		t.Fatalf("imported %+v", sum)
	}
	p, err := s.PostBySlug(context.Background(), models.KindPost, "post-7")
	if err != nil || !bytes.Contains([]byte(p.Body), []byte(`href="/2010/01/post-6"`)) {
		t.Errorf("links between posts not rewritten: %v %.300s", err, p.Body)
	}
}
