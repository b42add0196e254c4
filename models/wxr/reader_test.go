package wxr

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func readFixture(t *testing.T) *Document {
	t.Helper()
	f, err := os.Open("testdata/wordpress6.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestParseWordPress6Export(t *testing.T) {
	doc := readFixture(t)
	c := doc.Channel
	if c.BaseSiteURL != "https://old.example" || c.WXRVersion != "1.2" || c.Title != "Old & Gold" {
		t.Errorf("channel = %+v", c)
	}
	if len(c.Authors) != 2 || c.Authors[0].Login != "admin" || Unescape(c.Authors[0].DisplayName) != "Ada & Co" {
		t.Errorf("authors = %+v", c.Authors)
	}
	if len(c.Categories) != 2 || len(c.Tags) != 1 || len(c.Terms) != 4 {
		t.Errorf("terms: %d categories, %d tags, %d terms", len(c.Categories), len(c.Tags), len(c.Terms))
	}
	if got := Unescape(c.Categories[1].Name); got != "Café & Küche" {
		t.Errorf("category name = %q", got)
	}
	byID := map[int64]*Item{}
	for i := range doc.Items {
		byID[doc.Items[i].ID] = &doc.Items[i]
	}
	tests := []struct {
		id                    int64
		typ, status, name     string
		title                 string
		comments, terms, line int
	}{
		{12, "page", "publish", "team", "Team", 0, 0, 50},
		{5, "post", "publish", "caf%c3%a9-k%c3%bcche", "Café & Küche", 6, 2, 103},
		{20, "attachment", "inherit", "photo", "photo", 0, 0, 0},
		{8, "post", "draft", "", "Unfinished", 0, 0, 0},
		{30, "nav_menu_item", "publish", "home", "Home", 0, 1, 0},
	}
	for _, tt := range tests {
		it := byID[tt.id]
		if it == nil {
			t.Errorf("item %d missing", tt.id)
			continue
		}
		if it.Type != tt.typ || it.Status != tt.status || it.Name != tt.name || Unescape(it.Title) != tt.title ||
			len(it.Comments) != tt.comments || len(it.Terms) != tt.terms {
			t.Errorf("item %d = %s %s %q %q, %d comments, %d terms", tt.id, it.Type, it.Status, it.Name, it.Title, len(it.Comments), len(it.Terms))
		}
		if tt.line != 0 && it.Line != tt.line {
			t.Errorf("item %d starts at line %d, want %d", tt.id, it.Line, tt.line)
		}
	}
	post := byID[5]
	if !strings.Contains(post.Content, "<!--more-->") || post.Excerpt != "Coffee &amp; cake" {
		t.Errorf("content/excerpt mixed up: %q / %q", post.Content[:40], post.Excerpt)
	}
	if post.MetaValue("_thumbnail_id") != "20" || post.Comments[1].Parent != 1 || post.Comments[3].Type != "pingback" {
		t.Errorf("meta or comments wrong: %+v", post.Comments[1])
	}
	if byID[8].DateGMT != ZeroDate || byID[12].Parent != 10 || byID[12].MenuOrder != 2 {
		t.Errorf("draft or page fields wrong")
	}
	if byID[11].Password != "letmein" {
		t.Errorf("password = %q", byID[11].Password)
	}
}

func TestParseRefusesBrokenFiles(t *testing.T) {
	good, err := os.ReadFile("testdata/wordpress6.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		line       int
		want       string
	}{
		{"truncated", string(good[:len(good)*2/3]), 0, ""},
		{"cut after channel", strings.TrimSuffix(strings.TrimSpace(string(good)), "</rss>"), 0, "truncated"},
		{"unclosed tag", "<rss>\n<channel>\n<item>\n<title>x</titl>\n</item></channel></rss>", 4, ""},
		{"bad number", "<rss><channel>\n<item>\n<wp:post_id>abc</wp:post_id></item></channel></rss>", 3, "not a whole number"},
		{"not rss", "<html><body></body></html>", 1, "not a WordPress export"},
		{"empty", "", 1, "truncated"},
		{"garbage after", "<rss></rss><rss></rss>", 1, "after </rss>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.file))
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("err = %v, want a *wxr.Error", err)
			}
			if tt.line != 0 && we.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", we.Line, tt.line, err)
			}
			if we.Line < 1 || !strings.Contains(err.Error(), "line") {
				t.Errorf("no line in %v", err)
			}
			if tt.want != "" && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestWriterRoundTrip(t *testing.T) {
	doc := readFixture(t)
	doc.Items[0].Content = "a ]]> b \x01 c"
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Begin(&doc.Channel); err != nil {
		t.Fatal(err)
	}
	for i := range doc.Items {
		if err := w.Item(&doc.Items[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	again, err := Parse(&buf)
	if err != nil {
		t.Fatalf("written file does not parse: %v", err)
	}
	if len(again.Items) != len(doc.Items) || len(again.Channel.Terms) != len(doc.Channel.Terms) ||
		len(again.Channel.Authors) != 2 {
		t.Fatalf("lost items or terms")
	}
	if again.Items[0].Content != "a ]]> b  c" {
		t.Errorf("content = %q", again.Items[0].Content)
	}
	for i := range doc.Items {
		a, b := doc.Items[i], again.Items[i]
		if a.Title != b.Title || a.Name != b.Name || a.DateGMT != b.DateGMT || len(a.Comments) != len(b.Comments) ||
			len(a.Meta) != len(b.Meta) || a.Password != b.Password || a.Parent != b.Parent {
			t.Errorf("item %d changed: %+v", a.ID, b)
		}
	}
}

// FuzzReader: any input either parses or fails with a line number, and
// never panics; what parses writes out and parses back alike.
func FuzzReader(f *testing.F) {
	good, _ := os.ReadFile("testdata/wordpress6.xml")
	f.Add(good)
	f.Add([]byte("<rss><channel><item><title><![CDATA[x]]></title></item></channel></rss>"))
	f.Add([]byte("<rss><channel><wp:term><wp:term_id>x</wp:term_id></wp:term></channel></rss>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(bytes.NewReader(data))
		if err != nil {
			var we *Error
			if !errors.As(err, &we) || we.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		_ = w.Begin(&doc.Channel)
		for i := range doc.Items {
			_ = w.Item(&doc.Items[i])
		}
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		again, err := Parse(&buf)
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v\n%s", err, buf.String())
		}
		if len(again.Items) != len(doc.Items) {
			t.Fatalf("%d items became %d", len(doc.Items), len(again.Items))
		}
	})
}

func TestUnescapeDecodesOnce(t *testing.T) {
	for in, want := range map[string]string{
		"Café &amp; Küche":     "Café & Küche",
		"Café &amp;amp; Küche": "Café &amp; Küche",
		"&#8220;Quoted&#8221;": "“Quoted”",
		"plain":                "plain",
	} {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}
