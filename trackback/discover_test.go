package trackback

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDiscover(t *testing.T) {
	mux := http.NewServeMux()
	page := func(path, ctype string, header http.Header, body func(base string) string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet {
				t.Errorf("%s: method %s", path, r.Method)
			}
			for k, v := range header {
				w.Header()[k] = v
			}
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			base := "http://" + r.Host
			_, _ = w.Write([]byte(body(base)))
		})
	}
	static := func(s string) func(string) string { return func(string) string { return s } }
	rdf := func(id, ping string) string {
		return "<html><body>" + RDFBlock(id, "T", ping) + "</body></html>"
	}

	page("/wm-header", "text/html", http.Header{"Link": {`</endpoint?x=1>; rel="webmention"`}}, static(`<link rel="pingback" href="http://p.example/x">`))
	page("/wm-html", "text/html; charset=utf-8", nil, static(`<a rel="webmention" href="wm">x</a>`))
	page("/wm-and-rdf", "text/html", nil, func(b string) string {
		return rdf(b+"/wm-and-rdf", b+"/tb/1") + `<link rel="webmention" href="/wm">`
	})
	page("/mt/entry.html", "text/html", http.Header{"X-Pingback": {"http://p.example/xmlrpc"}}, func(b string) string {
		return strings.Replace(mtPage, "http://mt.example/blog/2008/04/entry.html", b+"/mt/entry.html", 2)
	})
	mux.Handle("/test/23/page", http.RedirectHandler("/test/23/page/abc", http.StatusFound))
	page("/test/23/page/abc", "text/html", http.Header{"Link": {`<webmention-endpoint/abc>; rel="webmention"`}}, static(""))
	mux.Handle("/moved", http.RedirectHandler("/moved-here", http.StatusMovedPermanently))
	page("/moved-here", "text/html", nil, func(b string) string { return rdf(b+"/moved-here", b+"/tb/9") })
	page("/pb-header", "text/html", http.Header{"X-Pingback": {"http://p.example/xmlrpc.php"}}, static("<p>no links</p>"))
	page("/pb-link", "application/xhtml+xml", nil, static(`<link rel="pingback" href="http://p.example/xmlrpc.php"/>`))
	page("/image", "image/png", http.Header{"X-Pingback": {"http://p.example/img.php"}}, static(`<link rel="webmention" href="/wm">`))
	page("/image-no-header", "image/png", nil, func(b string) string { return rdf(b+"/image-no-header", b+"/tb/1") })
	page("/none", "text/html", nil, static("<html><p>plain</p></html>"))
	page("/huge", "", nil, func(b string) string {
		return strings.Repeat(" ", MaxDiscoverBody) + `<link rel="webmention" href="/wm">`
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base := srv.URL

	tests := []struct {
		name      string
		link      string
		want      Endpoint
		wantErr   error
		wantCode  int  // HTTPError status expected
		retryable bool // IsRetryable(err) when err != nil
	}{
		{name: "webmention Link header first", link: base + "/wm-header", want: Endpoint{ProtocolWebmention, base + "/endpoint?x=1"}},
		{name: "webmention in HTML, path-relative", link: base + "/wm-html", want: Endpoint{ProtocolWebmention, base + "/wm"}},
		{name: "webmention before trackback", link: base + "/wm-and-rdf", want: Endpoint{ProtocolWebmention, base + "/wm"}},
		{name: "trackback before pingback header", link: base + "/mt/entry.html", want: Endpoint{ProtocolTrackBack, "http://mt.example/cgi-bin/mt/mt-tb.cgi/123"}},
		{name: "trackback, link with fragment", link: base + "/mt/entry.html#comments", want: Endpoint{ProtocolTrackBack, "http://mt.example/cgi-bin/mt/mt-tb.cgi/123"}},
		{name: "webmention resolved against the final URL", link: base + "/test/23/page", want: Endpoint{ProtocolWebmention, base + "/test/23/page/webmention-endpoint/abc"}},
		{name: "trackback identifier is the final URL", link: base + "/moved", want: Endpoint{ProtocolTrackBack, base + "/tb/9"}},
		{name: "pingback header", link: base + "/pb-header", want: Endpoint{ProtocolPingback, "http://p.example/xmlrpc.php"}},
		{name: "pingback link element", link: base + "/pb-link", want: Endpoint{ProtocolPingback, "http://p.example/xmlrpc.php"}},
		{name: "image: headers only", link: base + "/image", want: Endpoint{ProtocolPingback, "http://p.example/img.php"}},
		{name: "image body not scanned", link: base + "/image-no-header", wantErr: ErrNoEndpoint},
		{name: "nothing advertised", link: base + "/none", wantErr: ErrNoEndpoint},
		{name: "past the 1 MiB cap", link: base + "/huge", wantErr: ErrNoEndpoint},
		{name: "404", link: base + "/missing", wantCode: 404, retryable: true},
		{name: "500", link: base + "/broken", wantCode: 500, retryable: true},
		{name: "410", link: base + "/gone", wantCode: 410},
		{name: "javascript link", link: "javascript:alert(1)", wantErr: ErrInvalidURL},
		{name: "relative link", link: "/none", wantErr: ErrInvalidURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Discover(context.Background(), srv.Client(), tt.link)
			if tt.wantErr == nil && tt.wantCode == 0 {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				if got != tt.want {
					t.Errorf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; got %+v", got)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			var he *HTTPError
			if tt.wantCode != 0 && (!errors.As(err, &he) || he.StatusCode != tt.wantCode) {
				t.Errorf("err = %v, want HTTP %d", err, tt.wantCode)
			}
			if IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v", err, !tt.retryable)
			}
			if got != (Endpoint{}) {
				t.Errorf("endpoint %+v with error", got)
			}
		})
	}
}

func TestDiscoverClientErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens any more
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		client *http.Client
	}{
		{"nil client", context.Background(), nil},
		{"connection refused", context.Background(), srv.Client()},
		{"cancelled", ctx, srv.Client()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Discover(tt.ctx, tt.client, srv.URL+"/x"); err == nil {
				t.Error("no error")
			}
		})
	}
}
