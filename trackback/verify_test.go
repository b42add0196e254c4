package trackback

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestLinksTo(t *testing.T) {
	base, _ := url.Parse("https://source.example/blog/entry.html")
	target := "https://target.example/2026/11/post"
	tests := []struct {
		name string
		page string
		want bool
	}{
		{"exact", `<p>See <a href="https://target.example/2026/11/post">this</a></p>`, true},
		{"http and trailing slash", `<a href="http://TARGET.example/2026/11/post/">x</a>`, true},
		{"fragment", `<a href="https://target.example/2026/11/post#comments">x</a>`, true},
		{"single quotes, attribute order", `<a class=x href='https://target.example/2026/11/post'>x</a>`, true},
		{"area", `<map><area href="https://target.example/2026/11/post"></map>`, true},
		{"only in text", `<p>https://target.example/2026/11/post</p>`, false},
		{"only in a comment", `<!-- <a href="https://target.example/2026/11/post">x</a> -->`, false},
		{"another post", `<a href="https://target.example/2026/11/post-2">x</a>`, false},
		{"another site", `<a href="https://evil.example/2026/11/post">x</a>`, false},
		{"relative on the same site", `<a href="/2026/11/post">x</a>`, false},
		{"no links", `<p>nothing</p>`, false},
		{"default port", `<a href="https://target.example:443/2026/11/post">x</a>`, true},
		{"http's default port", `<a href="http://target.example:80/2026/11/post">x</a>`, true},
		{"another port", `<a href="https://target.example:8443/2026/11/post">x</a>`, false},
		{"tracking query", `<a href="https://target.example/2026/11/post?utm_source=feed#c">x</a>`, true},
		{"query on another post", `<a href="https://target.example/2026/11/post-2?utm_source=feed">x</a>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LinksTo([]byte(tt.page), base, target); got != tt.want {
				t.Errorf("LinksTo = %v, want %v", got, tt.want)
			}
		})
	}
	if LinksTo([]byte(`<a href="https://target.example/?p=1">x</a>`), base, "https://target.example/?p=2") ||
		LinksTo([]byte(`<a href="https://target.example/">x</a>`), base, "https://target.example/?p=2") {
		t.Error("a target with a query string must be linked with that query string")
	}
	sameSite, _ := url.Parse("https://target.example/other")
	if !LinksTo([]byte(`<a href="/2026/11/post">x</a>`), sameSite, target) {
		t.Error("a relative link resolved against the page's own URL must count")
	}
}

func TestVerify(t *testing.T) {
	target := "https://target.example/2026/11/post"
	mux := http.NewServeMux()
	mux.HandleFunc("/links", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<a href="` + target + `">a post</a>`))
	})
	mux.HandleFunc("/nolink", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`<p>spam</p>`)) })
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusBadGateway) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/links", http.StatusFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tests := []struct {
		path      string
		wantErr   error
		retryable bool
	}{
		{"/links", nil, false},
		{"/moved", nil, false},
		{"/nolink", ErrNoLinkBack, false},
		{"/gone", nil, false},
		{"/broken", nil, true},
	}
	for _, tt := range tests {
		err := Verify(context.Background(), srv.Client(), srv.URL+tt.path, target)
		switch {
		case tt.path == "/gone" || tt.path == "/broken":
			var he *HTTPError
			if !errors.As(err, &he) || IsRetryable(err) != tt.retryable {
				t.Errorf("%s: err %v, retryable %v", tt.path, err, IsRetryable(err))
			}
		case !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil):
			t.Errorf("%s: err %v, want %v", tt.path, err, tt.wantErr)
		}
	}
	if err := Verify(context.Background(), nil, srv.URL, target); err == nil {
		t.Error("a nil client must be refused")
	}
}
