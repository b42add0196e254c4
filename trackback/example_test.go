package trackback_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"

	"github.com/crosstalk/crosstalk/trackback"
)

func ExampleParsePingBody() {
	body := "title=Foo+Bar&url=http://www.bar.com/&excerpt=My+%3Cb%3EExcerpt%3C/b%3E&blog_name=Foo"
	p, err := trackback.ParsePingBody([]byte(body), "application/x-www-form-urlencoded; charset=utf-8")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q %q %q %q\n", p.URL, p.Title, p.Excerpt, p.BlogName)

	// Shift_JIS bytes, named by a charset field.
	p, _ = trackback.ParsePingBody([]byte("url=http://jp.example/&excerpt=%93%FA%96%7B%8C%EA+%82%C5%82%B7&charset=Shift_JIS"), "")
	fmt.Printf("%q %q\n", p.Title, p.Excerpt)

	_, err = trackback.ParsePingBody([]byte("url=javascript:alert(1)"), "")
	fmt.Println(err)
	// Output:
	// "http://www.bar.com/" "Foo Bar" "My Excerpt" "Foo"
	// "日本語 です" "日本語 です"
	// The URL is not a valid http or https URL
}

func ExampleParsePing() {
	handler := func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, trackback.MaxPingBody)
		p, err := trackback.ParsePing(r)
		if err != nil {
			trackback.WriteError(w, http.StatusOK, trackback.ErrorMessage(err))
			return
		}
		_ = p // store the ping
		trackback.WriteSuccess(w)
	}
	r := httptest.NewRequest(http.MethodPost, "/trackback/1", strings.NewReader("title=Hi"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	handler(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Print(w.Body.String())
	// Output:
	// 200 text/xml; charset=utf-8
	// <?xml version="1.0" encoding="utf-8"?>
	// <response>
	// <error>1</error>
	// <message>No URL was given</message>
	// </response>
}

func ExampleResponseBody() {
	fmt.Printf("%s", trackback.ResponseBody("", false))
	// Output:
	// <?xml version="1.0" encoding="utf-8"?>
	// <response>
	// <error>0</error>
	// </response>
}

func ExampleRDFBlock() {
	fmt.Println(trackback.RDFBlock("https://blog.example/2024/05/hello", "Hello -- <world>", "https://blog.example/trackback/42"))
	// Output:
	// <!--
	// <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	//          xmlns:dc="http://purl.org/dc/elements/1.1/"
	//          xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">
	// <rdf:Description
	//     rdf:about="https://blog.example/2024/05/hello"
	//     dc:identifier="https://blog.example/2024/05/hello"
	//     dc:title="Hello - &lt;world&gt;"
	//     trackback:ping="https://blog.example/trackback/42" />
	// </rdf:RDF>
	// -->
}

func ExampleWriteRSS() {
	_ = trackback.WriteRSS(os.Stdout, "Hello", "https://blog.example/hello", "Pings for Hello",
		[]trackback.RSSItem{{Title: "A reply", URL: "https://other.example/reply", Excerpt: "I agree & more"}})
	// Output:
	// <?xml version="1.0" encoding="utf-8"?>
	// <response>
	// <error>0</error>
	// <rss version="0.91"><channel>
	// <title>Hello</title>
	// <link>https://blog.example/hello</link>
	// <description>Pings for Hello</description>
	// <language>en-us</language>
	// <item>
	// <title>A reply</title>
	// <link>https://other.example/reply</link>
	// <description>I agree &amp;amp; more</description>
	// </item>
	// </channel>
	// </rss></response>
}

func ExampleExcerpt() {
	e := trackback.Excerpt("<p>" + strings.Repeat("abcd ", 60) + "</p>")
	fmt.Println(len([]rune(e)), e[len(e)-10:])
	// Output:
	// 255 abcd ab...
}

func ExampleFindRDFPingURL() {
	page := `<html><body>
<!--
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<rdf:Description
    rdf:about="http://mt.example/archives/001.html"
    trackback:ping="http://mt.example/mt-tb.cgi/1"
    dc:title="First"
    dc:identifier="http://mt.example/archives/001.html" />
</rdf:RDF>
-->
</body></html>`
	fmt.Println(trackback.FindRDFPingURL([]byte(page), "http://mt.example/archives/001.html#more"))
	// Output:
	// http://mt.example/mt-tb.cgi/1 true
}

func ExampleFindWebmention() {
	base, _ := url.Parse("https://webmention.rocks/test/22")
	h := http.Header{"Link": {`<https://webmention.rocks/other>; rel="other"`}}
	body := []byte(`<!-- <link rel="webmention" href="/error"> --><link rel="webmention" href="22/webmention?q=1">`)
	fmt.Println(trackback.FindWebmention(h, body, base))
	// Output:
	// https://webmention.rocks/test/22/webmention?q=1 true
}

func ExampleIsRetryable() {
	fmt.Println(trackback.IsRetryable(&trackback.RemoteError{Message: "There is already a ping from that URL for this post."}))
	fmt.Println(trackback.IsRetryable(&trackback.HTTPError{StatusCode: 503, Status: "503 Service Unavailable"}))
	fmt.Println(trackback.IsRetryable(trackback.ErrNoEndpoint))
	// Output:
	// false
	// true
	// false
}
