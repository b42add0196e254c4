package trackback

import (
	"net/http"
	"net/url"
	"testing"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestFindWebmention covers the webmention.rocks discovery tests (numbered
// as there) and a few more.
func TestFindWebmention(t *testing.T) {
	const site = "https://webmention.rocks"
	tests := []struct {
		name   string
		base   string
		header http.Header
		body   string
		want   string
	}{
		{"1 Link header, unquoted rel, relative", site + "/test/1",
			http.Header{"Link": {`</test/1/webmention?head=true>; rel=webmention`}}, "", site + "/test/1/webmention?head=true"},
		{"2 Link header, unquoted rel, absolute", site + "/test/2",
			http.Header{"Link": {`<https://webmention.rocks/test/2/webmention?head=true>; rel=webmention`}}, "", site + "/test/2/webmention?head=true"},
		{"3 link element, relative", site + "/test/3", nil,
			`<html><head><link rel="webmention" href="/test/3/webmention"></head></html>`, site + "/test/3/webmention"},
		{"4 link element, href first, absolute", site + "/test/4", nil,
			`<link href="https://webmention.rocks/test/4/webmention" rel="webmention">`, site + "/test/4/webmention"},
		{"5 a element, relative", site + "/test/5", nil,
			`<body><a rel="webmention" href="/test/5/webmention">endpoint</a></body>`, site + "/test/5/webmention"},
		{"6 a element, href first, absolute", site + "/test/6", nil,
			`<a href="https://webmention.rocks/test/6/webmention" rel="webmention">x</a>`, site + "/test/6/webmention"},
		{"7 header name in odd case", site + "/test/7",
			http.Header{"LinK": {`<https://webmention.rocks/test/7/webmention>; rel=webmention`}}, "", site + "/test/7/webmention"},
		{"8 quoted rel", site + "/test/8",
			http.Header{"Link": {`<https://webmention.rocks/test/8/webmention>; rel="webmention"`}}, "", site + "/test/8/webmention"},
		{"9 several rel values in element", site + "/test/9", nil,
			`<link rel="webmention somethingelse" href="/test/9/webmention">`, site + "/test/9/webmention"},
		{"10 several rel values in header", site + "/test/10",
			http.Header{"Link": {`<https://webmention.rocks/test/10/webmention>; rel="webmention somethingelse"`}}, "", site + "/test/10/webmention"},
		{"11 header wins over link and a", site + "/test/11",
			http.Header{"Link": {`</test/11/webmention>; rel="webmention"`}},
			`<link rel="webmention" href="/test/11/error"><a rel="webmention" href="/test/11/error">x</a>`, site + "/test/11/webmention"},
		{"12 rel token, not substring", site + "/test/12", nil,
			`<link rel="not-webmention" href="/test/12/error"><a rel="webmention" href="/test/12/webmention">x</a>`, site + "/test/12/webmention"},
		{"13 commented-out element ignored", site + "/test/13", nil,
			`<!-- <a rel="webmention" href="/test/13/error">x</a> --><a rel="webmention" href="/test/13/webmention">y</a>`, site + "/test/13/webmention"},
		{"14 escaped HTML ignored", site + "/test/14", nil,
			`<code>&lt;a href="/test/14/error" rel="webmention"&gt;&lt;/a&gt;</code><a rel="webmention" href="/test/14/webmention">y</a>`, site + "/test/14/webmention"},
		{"15 empty href is the page itself", site + "/test/15", nil,
			`<link rel="webmention" href="">`, site + "/test/15"},
		{"16 a before link: a wins", site + "/test/16", nil,
			`<a rel="webmention" href="/test/16/webmention">x</a><link rel="webmention" href="/test/16/error">`, site + "/test/16/webmention"},
		{"17 link before a: link wins", site + "/test/17", nil,
			`<link rel="webmention" href="/test/17/webmention"><a rel="webmention" href="/test/17/error">x</a>`, site + "/test/17/webmention"},
		{"18 several Link headers", site + "/test/18",
			http.Header{"Link": {`<https://webmention.rocks/test/18/error>; rel="other"`, `<https://webmention.rocks/test/18/webmention>; rel="webmention"`}}, "", site + "/test/18/webmention"},
		{"19 several links in one header", site + "/test/19",
			http.Header{"Link": {`<https://webmention.rocks/test/19/error>; rel="other", <https://webmention.rocks/test/19/webmention>; rel="webmention"`}}, "", site + "/test/19/webmention"},
		{"20 link without href skipped", site + "/test/20", nil,
			`<link rel="webmention"><a rel="webmention" href="/test/20/webmention">x</a>`, site + "/test/20/webmention"},
		{"21 query string kept", site + "/test/21", nil,
			`<link rel="webmention" href="/test/21/webmention?query=yes">`, site + "/test/21/webmention?query=yes"},
		{"22 path-relative", site + "/test/22", nil,
			`<link rel="webmention" href="22/webmention">`, site + "/test/22/webmention"},
		{"23 relative to the final URL after a redirect", site + "/test/23/page/abc",
			http.Header{"Link": {`<webmention-endpoint/abc>; rel="webmention"`}}, "", site + "/test/23/page/webmention-endpoint/abc"},
		{"comma and semicolon inside URL and quotes", "http://h.example/p",
			http.Header{"Link": {`<http://h.example/a,b;c>; title="x, y; z"; rel="webmention"`}}, "", "http://h.example/a,b;c"},
		{"rel with other params first and odd case", "http://h.example/p",
			http.Header{"Link": {`</wm>; type="text/html"; REL="WebMention"`}}, "", "http://h.example/wm"},
		{"malformed header entries skipped", "http://h.example/p",
			http.Header{"Link": {`garbage, <http://h.example/other>; rel=other junk; x, </wm>; rel=webmention`}}, "", "http://h.example/wm"},
		{"header endpoint with bad scheme skipped for the body", "http://h.example/p",
			http.Header{"Link": {`<javascript:alert(1)>; rel=webmention`}}, `<link rel="webmention" href="/wm">`, "http://h.example/wm"},
		{"fragment dropped", "http://h.example/p", nil, `<a rel=webmention href="/wm#frag">x</a>`, "http://h.example/wm"},
		{"uppercase tag and attributes", "http://h.example/p", nil, `<LINK REL="WEBMENTION" HREF=" /wm ">`, "http://h.example/wm"},
		{"inside script is not an element", "http://h.example/p", nil,
			`<script>var s = '<a rel="webmention" href="/bad">';</script><a rel="webmention" href="/wm">x</a>`, "http://h.example/wm"},
		{"only the first rel parameter counts (RFC 8288)", "http://h.example/p",
			http.Header{"Link": {`</bad>; rel="other"; rel="webmention"`}}, "", ""},
		{"none", "http://h.example/p", http.Header{"Link": {`</feed>; rel="alternate"`}}, `<link rel="pingback" href="/xmlrpc.php">`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindWebmention(tt.header, []byte(tt.body), mustURL(t, tt.base))
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("got %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

func TestFindWebmentionNilBase(t *testing.T) {
	tests := []struct {
		body, want string
	}{
		{`<link rel="webmention" href="/relative">`, ""},
		{`<link rel="webmention" href="/relative"><a rel="webmention" href="https://abs.example/wm">x</a>`, "https://abs.example/wm"},
	}
	for _, tt := range tests {
		if got, _ := FindWebmention(nil, []byte(tt.body), nil); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestFindPingback(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		body   string
		want   string
	}{
		{"header", http.Header{"X-Pingback": {"http://wp.example/xmlrpc.php"}}, "", "http://wp.example/xmlrpc.php"},
		{"header wins over link", http.Header{"X-Pingback": {" http://wp.example/xmlrpc.php "}},
			`<link rel="pingback" href="http://other.example/xmlrpc.php">`, "http://wp.example/xmlrpc.php"},
		{"header in odd case", http.Header{"x-pingback": {"http://wp.example/xmlrpc.php"}}, "", "http://wp.example/xmlrpc.php"},
		{"link element", nil, `<head><link rel="pingback" href="http://wp.example/xmlrpc.php" /></head>`, "http://wp.example/xmlrpc.php"},
		{"entities in href decoded", nil, `<link rel="pingback" href="http://wp.example/xmlrpc.php?a=1&amp;b=2">`, "http://wp.example/xmlrpc.php?a=1&b=2"},
		{"bad header falls back to link", http.Header{"X-Pingback": {"/xmlrpc.php"}}, `<link href="http://wp.example/x.php" rel="pingback">`, "http://wp.example/x.php"},
		{"relative link refused", nil, `<link rel="pingback" href="/xmlrpc.php">`, ""},
		{"a element is not a pingback link", nil, `<a rel="pingback" href="http://wp.example/xmlrpc.php">x</a>`, ""},
		{"commented out", nil, `<!-- <link rel="pingback" href="http://wp.example/xmlrpc.php"> -->`, ""},
		{"none", nil, `<link rel="stylesheet" href="http://wp.example/s.css">`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindPingback(tt.header, []byte(tt.body))
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("got %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}
