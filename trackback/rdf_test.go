package trackback

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRDFBlock(t *testing.T) {
	tests := []struct {
		name, permalink, title, ping string
		wantTitle                    string // dc:title as an XML parser reads it
	}{
		{"plain", "http://blog.example/2024/05/post.html", "Hello", "http://blog.example/trackback/42", "Hello"},
		{"comment breakers", "http://blog.example/p", "a -- b --> <script>", "http://blog.example/tb/1", "a - b -> <script>"},
		{"long dash runs and quotes", "http://blog.example/p", `---x----"y'&z-`, "http://blog.example/tb/1", `-x-"y'&z-`},
		{"hyphens in URLs", "http://blog.example/a--b---c", "t", "http://blog.example/tb--1", "t"},
		{"comment end spelled other ways", "http://blog.example/p--!>", "--!> <!-- -- >", "http://blog.example/tb", "-!> <!- - >"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := RDFBlock(tt.permalink, tt.title, tt.ping)
			if !strings.HasPrefix(out, "<!--\n") || !strings.HasSuffix(out, "\n-->") {
				t.Fatalf("not wrapped in a comment:\n%s", out)
			}
			inner := out[len("<!--") : len(out)-len("-->")]
			if strings.Contains(inner, "--") {
				t.Errorf("comment body contains --:\n%s", out)
			}
			// An HTML parser sees exactly one comment and nothing else.
			z := html.NewTokenizer(strings.NewReader(out))
			comments := 0
			for tok := z.Next(); tok != html.ErrorToken; tok = z.Next() {
				switch tok {
				case html.CommentToken:
					comments++
				case html.TextToken:
					if strings.TrimSpace(string(z.Text())) != "" {
						t.Errorf("text outside the comment: %q", z.Text())
					}
				default:
					t.Errorf("unexpected %v token %q", tok, z.Raw())
				}
			}
			if comments != 1 {
				t.Errorf("%d comments, want 1:\n%s", comments, out)
			}
			// The inside is well-formed XML with the expected values.
			var rdf struct {
				Desc struct {
					About string `xml:"about,attr"`
					ID    string `xml:"identifier,attr"`
					Title string `xml:"title,attr"`
					Ping  string `xml:"ping,attr"`
				} `xml:"Description"`
			}
			if err := xml.Unmarshal([]byte(inner), &rdf); err != nil {
				t.Fatalf("inner RDF is not XML: %v\n%s", err, inner)
			}
			d := rdf.Desc
			if d.About != tt.permalink || d.ID != tt.permalink || d.Ping != tt.ping || d.Title != tt.wantTitle {
				t.Errorf("parsed %+q", d)
			}
			// Discovery finds it again.
			page := []byte("<html><body>" + out + "</body></html>")
			if got, ok := FindRDFPingURL(page, tt.permalink); !ok || got != tt.ping {
				t.Errorf("FindRDFPingURL = %q, %v; want %q", got, ok, tt.ping)
			}
		})
	}
}

func TestRDFBlockExact(t *testing.T) {
	want := `<!--
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dc="http://purl.org/dc/elements/1.1/"
         xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">
<rdf:Description
    rdf:about="http://www.foo.com/archive.html#foo"
    dc:identifier="http://www.foo.com/archive.html#foo"
    dc:title="Foo Bar"
    trackback:ping="http://www.foo.com/tb.cgi/5" />
</rdf:RDF>
-->`
	if got := RDFBlock("http://www.foo.com/archive.html#foo", "Foo Bar", "http://www.foo.com/tb.cgi/5"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if bytes.Contains([]byte(RDFBlock("a&b", "<", "c")), []byte("&b")) {
		t.Errorf("ampersand not escaped")
	}
}
