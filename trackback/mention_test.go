package trackback

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestMentionIn(t *testing.T) {
	base, _ := url.Parse("https://source.example/entry")
	target := "https://target.example/2026/11/post"
	long := strings.Repeat("word ", 100)
	tests := []struct {
		name, page, title, excerpt string
		ok                         bool
	}{
		{"title and context", `<html><head><title> A  &amp; B </title><script>var x = "<a href='https://target.example/2026/11/post'>";</script></head>` +
			`<body><p>Before text.</p><p>I liked <a href="https://target.example/2026/11/post#c">this post</a> a lot.</p></body></html>`,
			"A & B", "Before text. I liked this post a lot.", true},
		{"no title", `<p>See <a href="https://target.example/2026/11/post">x</a></p>`, "", "See x", true},
		{"long context is cut", `<p>` + long + `<a href="https://target.example/2026/11/post">link</a>` + long + `</p>`, "",
			"", true},
		{"area without text", `<map><area href="https://target.example/2026/11/post"></map>after`, "", "after", true},
		{"only in script", `<script>document.write('<a href="https://target.example/2026/11/post">')</script>`, "", "", false},
		{"another post", `<a href="https://target.example/2026/11/post-2">x</a>`, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, excerpt, ok := MentionIn([]byte(tt.page), base, target)
			if ok != tt.ok || title != tt.title {
				t.Fatalf("got %q, %q, %v; want title %q, ok %v", title, excerpt, ok, tt.title, tt.ok)
			}
			if tt.name == "long context is cut" {
				if !strings.Contains(excerpt, "link") || len([]rune(excerpt)) > MaxExcerpt || len(excerpt) > 2*contextRunes+len("link") {
					t.Fatalf("excerpt %q", excerpt)
				}
				return
			}
			if excerpt != tt.excerpt {
				t.Fatalf("excerpt %q, want %q", excerpt, tt.excerpt)
			}
		})
	}
}

func TestMention(t *testing.T) {
	target := "https://target.example/p"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/links":
			w.Write([]byte(`<title>Source</title><p>Read <a href="https://target.example/p">it</a>.</p>`))
		case "/gone":
			w.WriteHeader(http.StatusGone)
		default:
			w.Write([]byte(`<p>nothing</p>`))
		}
	}))
	defer srv.Close()
	title, excerpt, err := Mention(context.Background(), srv.Client(), srv.URL+"/links", target)
	if err != nil || title != "Source" || excerpt != "Read it." {
		t.Errorf("links: %q %q %v", title, excerpt, err)
	}
	if _, _, err := Mention(context.Background(), srv.Client(), srv.URL+"/none", target); !errors.Is(err, ErrNoLinkBack) {
		t.Errorf("no link: %v", err)
	}
	var he *HTTPError
	if _, _, err := Mention(context.Background(), srv.Client(), srv.URL+"/gone", target); !errors.As(err, &he) || he.StatusCode != 410 {
		t.Errorf("gone: %v", err)
	}
	if _, _, err := Mention(context.Background(), nil, srv.URL+"/links", target); err == nil {
		t.Error("nil client accepted")
	}
}
