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
<description>About &lt;things&gt;</description>
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
<description>About &lt;things&gt;</description>
<language>en-us</language>
<item>
<title>First &lt;b&gt;</title>
<link>http://a.example/1</link>
<description>It&#39;s &quot;quoted&quot;</description>
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
