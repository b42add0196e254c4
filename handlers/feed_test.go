package handlers

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// strictXML decodes the whole document with encoding/xml, which refuses
// characters XML 1.0 forbids, undefined entities and unbalanced tags.
func strictXML(t testing.TB, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
	}
}

type parsedRSS struct {
	Channel struct {
		Self struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Items []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
			Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			Categories  []struct {
				Domain string `xml:"domain,attr"`
				Name   string `xml:",chardata"`
			} `xml:"category"`
		} `xml:"item"`
	} `xml:"channel"`
}

type parsedAtom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		Title   string `xml:"title"`
		Summary struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"summary"`
		Categories []struct {
			Term  string `xml:"term,attr"`
			Label string `xml:"label,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

// seedHostilePost stores a post whose title, excerpt and tag hold text that
// breaks naive feed writers: a vertical tab, markup characters, a script.
func seedHostilePost(t *testing.T, e *testEnv) {
	t.Helper()
	_, u := e.admin()
	now := e.clock.Now()
	p := &models.Post{AuthorID: u.ID, Kind: models.KindPost, Title: "Tab\vhere 5 < 6 & <script>", Slug: "hostile",
		Body: "x", BodyHTML: "<p>body\v with \x01 controls &amp; more</p>", Excerpt: "5 < 6 & <script>alert(1)</script>\v",
		Status: models.StatusPublished, PublishedAt: &now, AllowComments: true}
	if err := e.store.CreatePost(context.Background(), p, []string{"a<&>b", "go"}); err != nil {
		t.Fatal(err)
	}
}

func TestFeedsAreValidXMLWhateverTheText(t *testing.T) {
	e := newEnv(t)
	seedHostilePost(t, e)
	tags, err := e.store.Tags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var oddSlug string
	for _, tg := range tags {
		if tg.Name == "a<&>b" {
			oddSlug = tg.Slug
		}
	}
	reader := e.client()
	for _, path := range []string{"/feed", "/tag/go/feed", "/tag/" + oddSlug + "/feed"} {
		t.Run(path, func(t *testing.T) {
			res := e.get(reader, path)
			if res.status != http.StatusOK {
				t.Fatalf("%d", res.status)
			}
			strictXML(t, []byte(res.body))
			var doc parsedRSS
			if err := xml.Unmarshal([]byte(res.body), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Channel.Self.Rel != "self" || doc.Channel.Self.Href != testBaseURL+path {
				t.Errorf("self link %+v", doc.Channel.Self)
			}
			if len(doc.Channel.Items) != 1 {
				t.Fatalf("items: %+v", doc.Channel.Items)
			}
			it := doc.Channel.Items[0]
			if it.Title != "Tabhere 5 < 6 & <script>" {
				t.Errorf("title %q", it.Title)
			}
			// description holds HTML: the reader must see the text, not a script
			if it.Description != "5 &lt; 6 &amp; &lt;script&gt;alert(1)&lt;/script&gt;" {
				t.Errorf("description %q", it.Description)
			}
			if it.Content != "<p>body with  controls &amp; more</p>" {
				t.Errorf("content %q", it.Content)
			}
			if len(it.Categories) != 2 || it.Categories[0].Name != "a<&>b" ||
				it.Categories[0].Domain != testBaseURL+"/tag/"+oddSlug {
				t.Errorf("categories %+v", it.Categories)
			}
		})
		t.Run(path+"/atom", func(t *testing.T) {
			res := e.get(reader, path+"/atom")
			if res.status != http.StatusOK {
				t.Fatalf("%d", res.status)
			}
			strictXML(t, []byte(res.body))
			var doc parsedAtom
			if err := xml.Unmarshal([]byte(res.body), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Author.Name != "Crosstalk" {
				t.Errorf("feed author %q", doc.Author.Name)
			}
			self := false
			for _, l := range doc.Links {
				self = self || l.Rel == "self" && l.Href == testBaseURL+path+"/atom"
			}
			if !self {
				t.Errorf("no rel=self: %+v", doc.Links)
			}
			if len(doc.Entries) != 1 {
				t.Fatalf("entries: %+v", doc.Entries)
			}
			en := doc.Entries[0]
			if en.Summary.Type != "html" || en.Summary.Body != "5 &lt; 6 &amp; &lt;script&gt;alert(1)&lt;/script&gt;" {
				t.Errorf("summary %+v", en.Summary)
			}
			if len(en.Categories) != 2 || en.Categories[0].Label != "a<&>b" || en.Categories[0].Term != oddSlug {
				t.Errorf("categories %+v", en.Categories)
			}
		})
	}
}

func TestFeedWriterDropsWhatXMLCannotCarry(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\vb\x00c\x1fd", "abcd"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"\uFFFE\uFFFFok", "ok"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"emoji 😀 é", "emoji 😀 é"},
	}
	for _, tt := range tests {
		if got := xmlText(tt.in); got != tt.want {
			t.Errorf("xmlText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzFeedWriter(f *testing.F) {
	f.Add("Tab\vhere", "5 < 6 & <script>", "<p>x</p>", "a<&>b")
	f.Add("\x00\xff\uFFFE", "]]>", "<![CDATA[", "\r\n")
	f.Fuzz(func(t *testing.T, title, summary, body, tag string) {
		ch := feedChannel{Title: title, Link: "http://blog.test/", Self: "http://blog.test/feed", Description: summary,
			Author: tag, Updated: time.Unix(0, 0), TagScheme: "http://blog.test/tag/",
			Items: []feedItem{{Title: title, Link: "http://blog.test/" + tag, Summary: summary, ContentHTML: body,
				Tags: []feedTag{{Name: tag, Slug: tag}}}}}
		for _, write := range []func() ([]byte, error){ch.rss, ch.atom} {
			doc, err := write()
			if err != nil {
				t.Fatal(err)
			}
			strictXML(t, doc)
			var any struct {
				XMLName xml.Name
			}
			if err := xml.Unmarshal(doc, &any); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(doc), "<") {
				t.Fatal("empty document")
			}
		}
	})
}
