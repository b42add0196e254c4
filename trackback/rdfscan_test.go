package trackback

import (
	"strings"
	"testing"
)

// mtPage is shaped like Movable Type's default entry template output.
const mtPage = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" id="sixapart-standard">
<head><title>Entry | Blog</title></head>
<body>
<!--
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<rdf:Description
    rdf:about="http://mt.example/blog/2008/04/entry.html"
    trackback:ping="http://mt.example/cgi-bin/mt/mt-tb.cgi/123"
    dc:title="An entry - with a dash"
    dc:identifier="http://mt.example/blog/2008/04/entry.html"
    dc:subject="Misc"
    dc:description="An excerpt..."
    dc:creator="Melody"
    dc:date="2008-04-01T10:00:00+09:00" />
</rdf:RDF>
-->
<div class="entry">Text</div>
</body></html>`

// wpPage is shaped like a WordPress theme calling trackback_rdf() inside a comment.
const wpPage = `<html><head><link rel="pingback" href="http://wp.example/xmlrpc.php" /></head><body>
<div class="post">Hello</div>
<!-- <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/"><rdf:Description rdf:about="http://wp.example/2024/01/hello-world/" dc:identifier="http://wp.example/2024/01/hello-world/" dc:title="Hello &#x2d;&#x2d; world" trackback:ping="http://wp.example/2024/01/hello-world/trackback/" /></rdf:RDF> -->
</body></html>`

// indexPage lists several entries, each with its own block.
const indexPage = `<html><body>
<!-- <rdf:RDF><rdf:Description rdf:about="http://x.example/a" dc:identifier="http://x.example/a" trackback:ping="http://x.example/tb/1" /></rdf:RDF> -->
<p>filler</p>
<!-- <rdf:RDF><rdf:Description rdf:about="http://x.example/index#e2" dc:identifier="http://x.example/index#e2" trackback:ping="http://x.example/tb/2" /></rdf:RDF> -->
<!-- <rdf:RDF><rdf:Description rdf:about="http://x.example/index#e3" dc:identifier="http://x.example/index#e3" trackback:ping="http://x.example/tb/3" /></rdf:RDF> -->
<!-- <rdf:RDF><rdf:Description dc:identifier='http://x.example/b?x=1&amp;y=2'
	trackback:ping='http://x.example/tb/4?x=1&amp;y=2'/></rdf:RDF> -->
<!-- <rdf:RDF><rdf:Description dc:identifier="http://x.example/rel" trackback:ping="/tb/5" /></rdf:RDF> -->
<!-- <rdf:RDF><rdf:Description dc:identifier="http://x.example/noping" rdf:about="http://x.example/tb/old" /></rdf:RDF> -->
<!-- <rdf:RDF><rdf:Description dc:identifier="http://x.example/js" trackback:ping="javascript:alert(1)" /></rdf:RDF> -->
<!-- <rdf:RDF><rdf:Description dc:identifier="http://x.example/plain" trackback:ping="http://x.example/tb/6" /></rdf:RDF> -->
</body></html>`

func TestFindRDFPingURL(t *testing.T) {
	tests := []struct {
		name   string
		page   string
		link   string
		want   string
		wantOK bool
	}{
		{"movable type", mtPage, "http://mt.example/blog/2008/04/entry.html", "http://mt.example/cgi-bin/mt/mt-tb.cgi/123", true},
		{"movable type, link with fragment", mtPage, "http://mt.example/blog/2008/04/entry.html#comments", "http://mt.example/cgi-bin/mt/mt-tb.cgi/123", true},
		{"movable type, other link", mtPage, "http://mt.example/blog/2008/04/other.html", "", false},
		{"wordpress single line", wpPage, "http://wp.example/2024/01/hello-world/", "http://wp.example/2024/01/hello-world/trackback/", true},
		{"wordpress, no trailing slash is another URL", wpPage, "http://wp.example/2024/01/hello-world", "", false},
		{"index: first block", indexPage, "http://x.example/a", "http://x.example/tb/1", true},
		{"index: exact fragment match wins over an earlier block", indexPage, "http://x.example/index#e3", "http://x.example/tb/3", true},
		{"index: no fragment takes the first fragment block", indexPage, "http://x.example/index", "http://x.example/tb/2", true},
		{"index: unknown fragment falls back", indexPage, "http://x.example/index#zzz", "http://x.example/tb/2", true},
		{"single quotes, entities, across lines", indexPage, "http://x.example/b?x=1&y=2", "http://x.example/tb/4?x=1&y=2", true},
		{"relative ping resolved against link", indexPage, "http://x.example/rel", "http://x.example/tb/5", true},
		{"block without trackback:ping skipped", indexPage, "http://x.example/noping", "", false},
		{"javascript ping refused", indexPage, "http://x.example/js", "", false},
		{"last block", indexPage, "http://x.example/plain", "http://x.example/tb/6", true},
		{"link with surrounding space", indexPage, " http://x.example/plain ", "http://x.example/tb/6", true},
		{"empty link", indexPage, "", "", false},
		{"unclosed block", `<rdf:RDF><rdf:Description dc:identifier="http://u.example/" trackback:ping="http://u.example/tb"/>`, "http://u.example/", "", false},
		{"unterminated quote", `<rdf:RDF><rdf:Description dc:identifier="http://u.example/ trackback:ping="http://u.example/tb"/></rdf:RDF>`, "http://u.example/", "", false},
		{"unquoted values", `<rdf:RDF><rdf:Description dc:identifier=http://u.example/ trackback:ping=http://u.example/tb></rdf:RDF>`, "http://u.example/", "http://u.example/tb", true},
		{"two descriptions in one block", `<rdf:RDF><rdf:Description dc:identifier="http://u.example/1" trackback:ping="http://u.example/tb/1"/><rdf:Description dc:identifier="http://u.example/2" trackback:ping="http://u.example/tb/2"/></rdf:RDF>`, "http://u.example/2", "http://u.example/tb/2", true},
		{"no RDF", "<html><body>nothing</body></html>", "http://u.example/", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindRDFPingURL([]byte(tt.page), tt.link)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// bigPage is a 1 MiB page of ordinary markup with the matching block last.
func bigPage() []byte {
	var b strings.Builder
	b.WriteString("<html><body>\n")
	for i := 0; b.Len() < 1<<20-2048; i++ {
		b.WriteString(`<div class="post"><a href="http://e.example/p">link</a> <em>some</em> text &amp; more - -- text</div>` + "\n")
		if i%1000 == 0 {
			b.WriteString(`<!-- <rdf:RDF><rdf:Description dc:identifier="http://e.example/other" trackback:ping="http://e.example/tb/0" /></rdf:RDF> -->` + "\n")
		}
	}
	b.WriteString(`<!-- <rdf:RDF><rdf:Description dc:identifier="http://e.example/target" trackback:ping="http://e.example/tb/1" /></rdf:RDF> -->`)
	b.WriteString("</body></html>")
	return []byte(b.String())
}

func TestFindRDFPingURLHostilePages(t *testing.T) {
	tests := []struct {
		name string
		page string
	}{
		{"many openings, no close", strings.Repeat("<rdf:RDF ", 1<<17)},
		{"many descriptions, no close of tag", "<rdf:RDF>" + strings.Repeat("<rdf:Description a=\"", 1<<16) + "</rdf:RDF>"},
		{"many unterminated quotes", "<rdf:RDF><rdf:Description " + strings.Repeat("x='", 1<<17) + "</rdf:RDF>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := FindRDFPingURL([]byte(tt.page), "http://e.example/"); ok {
				t.Error("found an endpoint in garbage")
			}
		})
	}
	if got, ok := FindRDFPingURL(bigPage(), "http://e.example/target"); !ok || got != "http://e.example/tb/1" {
		t.Errorf("big page: %q, %v", got, ok)
	}
}

func BenchmarkFindRDFPingURL1MiB(b *testing.B) {
	page := bigPage()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := FindRDFPingURL(page, "http://e.example/target"); !ok {
			b.Fatal("not found")
		}
	}
}
