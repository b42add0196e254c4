package trackback

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
)

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestWriteRSS(t *testing.T) {
	tests := []struct {
		name  string
		items []RSSItem
		want  string
	}{
		{"no pings", nil, `<?xml version="1.0" encoding="utf-8"?>
<response>
<error>0</error>
<rss version="0.91"><channel>
<title>Post &amp; title</title>
<link>http://blog.example/p?a=1&amp;b=2</link>
<description>About &amp;lt;things&amp;gt;</description>
<language>en-us</language>
</channel>
</rss></response>
`},
		{"two pings, one without excerpt", []RSSItem{
			{Title: "First <b>", URL: "http://a.example/1", Excerpt: "It's \"quoted\""},
			{Title: "Second", URL: "http://b.example/2"},
		}, `<?xml version="1.0" encoding="utf-8"?>
<response>
<error>0</error>
<rss version="0.91"><channel>
<title>Post &amp; title</title>
<link>http://blog.example/p?a=1&amp;b=2</link>
<description>About &amp;lt;things&amp;gt;</description>
<language>en-us</language>
<item>
<title>First &lt;b&gt;</title>
<link>http://a.example/1</link>
<description>It&amp;#39;s &amp;#34;quoted&amp;#34;</description>
</item>
<item>
<title>Second</title>
<link>http://b.example/2</link>
</item>
</channel>
</rss></response>
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteRSS(&b, "Post & title", "http://blog.example/p?a=1&b=2", "About <things>", tt.items); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Fatalf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
			var doc struct {
				Error int `xml:"error"`
				Items []struct {
					Title string `xml:"title"`
				} `xml:"rss>channel>item"`
			}
			if err := xml.Unmarshal([]byte(b.String()), &doc); err != nil {
				t.Fatalf("not XML: %v", err)
			}
			if doc.Error != 0 || len(doc.Items) != len(tt.items) {
				t.Errorf("parsed %+v", doc)
			}
		})
	}
	if err := WriteRSS(errWriter{}, "t", "l", "d", nil); err == nil {
		t.Error("write error not reported")
	}
}

func TestWriteRSSPlainTextIsShownNotRun(t *testing.T) {
	var b strings.Builder
	err := WriteRSS(&b, "Post\v <b>", "http://blog.example/p", "5 < 6 & <script>",
		[]RSSItem{{Title: "a<&>b\x01", URL: "http://a.example/", Excerpt: "5 < 6 & <script>alert(1)</script>\v"}})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Description string `xml:"rss>channel>description"`
		Items       []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
		} `xml:"rss>channel>item"`
	}
	if err := xml.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	if doc.Description != "5 &lt; 6 &amp; &lt;script&gt;" || len(doc.Items) != 1 ||
		doc.Items[0].Title != "a<&>b" || doc.Items[0].Description != "5 &lt; 6 &amp; &lt;script&gt;alert(1)&lt;/script&gt;" {
		t.Errorf("parsed %+v", doc)
	}
}
