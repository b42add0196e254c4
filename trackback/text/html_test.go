package text

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html/atom"
)

func TestWalkHTML(t *testing.T) {
	page := `<html><head><title>The &amp; title</title><title>second</title>
<link rel="webmention" href="/wm"><style>a{}</style></head>
<body><p>Before <a href="http://a.example/x" href="http://ignored/" rel="me nofollow">the <b>link</b></a> after</p>
<!-- <a href="http://comment.example/"> -->
<script>document.write('<a href="http://script.example/">')</script>
<map><area href="http://area.example/" alt=""></map><a name="anchor-only">x</a><a href=rel.html /></body></html>`
	var links []Link
	var text strings.Builder
	var title string
	ends := 0
	WalkHTML([]byte(page), Visitor{
		Link:    func(l Link) bool { links = append(links, l); return true },
		EndLink: func() { ends++ },
		Text:    func(b []byte) { text.Write(b) },
		Break:   func() { text.WriteByte('|') },
		Title:   func(b []byte) { title += string(b) },
	})
	want := []Link{
		{Tag: atom.Link, Href: "/wm", Rel: "webmention"},
		{Tag: atom.A, Href: "http://a.example/x", Rel: "me nofollow", Opens: true},
		{Tag: atom.Area, Href: "http://area.example/"},
		{Tag: atom.A, Href: "rel.html"},
	}
	if !reflect.DeepEqual(links, want) {
		t.Errorf("links = %+v\nwant %+v", links, want)
	}
	if title != "The & title" {
		t.Errorf("title = %q", title)
	}
	if ends != 2 {
		t.Errorf("EndLink called %d times, want 2", ends)
	}
	got := strings.Join(strings.Fields(text.String()), " ")
	if got != "|||second| |Before the link after| x" {
		t.Errorf("text = %q", got)
	}
}

func TestWalkHTMLStopsAndFilters(t *testing.T) {
	page := []byte(`<a href="/1">1</a><a rel="x" href="/2">2</a><a rel="x" href="/3">3</a>`)
	var hrefs []string
	WalkHTML(page, Visitor{
		Want: func(raw []byte) bool { return strings.Contains(string(raw), "rel") },
		Link: func(l Link) bool { hrefs = append(hrefs, l.Href); return false },
	})
	if !reflect.DeepEqual(hrefs, []string{"/2"}) {
		t.Errorf("hrefs = %q, want [/2]: Want filters, false stops", hrefs)
	}
}
