package wpimport

import (
	"context"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models/markup"
)

func TestConvertContent(t *testing.T) {
	c := converter{
		rewrite: func(u string) string {
			if strings.HasPrefix(u, "https://old.example/") {
				return "/new" + strings.TrimPrefix(u, "https://old.example")
			}
			return ""
		},
		gallery: func(ids []int64) []string {
			if len(ids) == 0 {
				return []string{"/media/9/attached.jpg"}
			}
			return []string{"/media/1/a.jpg", "/media/2/b.jpg"}
		},
	}
	tests := []struct {
		name, in string
		want     []string
		not      []string
	}{
		{"classic paragraphs", "One\nline two\n\nThree", []string{"<p>One<br>\nline two</p>\n\n<p>Three</p>"}, nil},
		{"block comments go", "<!-- wp:paragraph {\"align\":\"center\"} -->\n<p>x</p>\n<!-- /wp:paragraph -->", []string{"<p>x</p>"}, []string{"wp:"}},
		{"more kept alone", "Intro<!--more Read on-->Rest", []string{"<p>Intro</p>\n\n<!--more-->\n\n<p>Rest</p>"}, nil},
		{"nextpage dropped", "a<!--nextpage-->b", []string{"ab"}, []string{"nextpage"}},
		{"caption", `[caption id="attachment_3" width="300"]<img src="https://old.example/x.jpg" alt=""> The caption[/caption]`,
			[]string{`<figure class="wp-caption"><img src="/new/x.jpg" alt=""><figcaption>The caption</figcaption></figure>`}, []string{"[caption"}},
		{"caption attribute", `[caption caption="Said"]<a href="https://old.example/p"><img src="y.jpg"></a>[/caption]`,
			[]string{`<figcaption>Said</figcaption>`, `href="/new/p"`}, nil},
		{"gallery with ids", `[gallery ids="1,2" columns="2"]`, []string{`<div class="gallery"><figure><img src="/media/1/a.jpg" alt=""></figure><figure><img src="/media/2/b.jpg" alt=""></figure></div>`}, nil},
		{"gallery of the post", `[gallery]`, []string{`/media/9/attached.jpg`}, nil},
		{"embed", "[embed]https://video.example/v?a=1&b=2[/embed]", []string{`<p><a href="https://video.example/v?a=1&amp;b=2">`}, []string{"[embed"}},
		{"video", `[video mp4="https://old.example/v.mp4"][/video]`, []string{`href="/new/v.mp4"`}, nil},
		{"unknown shortcode kept", "[contact-form-7 id=\"1\"]", []string{"[contact-form-7"}, nil},
		{"srcset dropped", `<p><img src="https://old.example/a-300x200.jpg" srcset="https://old.example/a.jpg 2x" sizes="100vw"></p>`, []string{`src="/new/a-300x200.jpg"`}, []string{"srcset", "sizes"}},
		{"pre keeps blank lines", "<pre>a\n\n  b</pre>\n\nafter", []string{"<pre>a\n\n  b</pre>\n\n<p>after</p>"}, nil},
		{"other comments wrapped", "<!-- note -->\ntext", []string{"<p><!-- note --><br>\ntext</p>"}, nil},
		{"other links kept", `<a href="https://elsewhere.example/">x</a>`, []string{`href="https://elsewhere.example/"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.body(tt.in)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("keeps %q:\n%s", n, got)
				}
			}
		})
	}
}

// TestStoredBodySurvivesTheEditor: Markdown renders the stored body as the
// HTML it is, whatever Markdown-like text the old post held, so saving it
// again in the editor changes nothing.
func TestStoredBodySurvivesTheEditor(t *testing.T) {
	c := converter{rewrite: func(string) string { return "" }, gallery: func([]int64) []string { return nil }}
	in := "Text with *stars* and _underscores_ and # not a heading\n    indented like code\n\n1. not a list\n\n<ul>\n<li>a</li>\n\n<li>b</li>\n</ul>\n\n> not a quote"
	body := c.body(in)
	html, err := markup.New().HTML(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"*stars*", "_underscores_", "# not a heading", "1. not a list", "&gt; not a quote", "<li>b</li>"} {
		if !strings.Contains(html, want) {
			t.Errorf("Markdown changed %q:\n%s\n---\n%s", want, body, html)
		}
	}
	for _, bad := range []string{"<em>", "<h1", "<ol", "<blockquote", "<code>"} {
		if strings.Contains(html, bad) {
			t.Errorf("Markdown made %s of WordPress text:\n%s", bad, html)
		}
	}
}

func TestSlugs(t *testing.T) {
	tests := []struct{ wp, fallback, want string }{
		{"caf%c3%a9-k%c3%bcche", "", "cafe-kuche"},
		{"%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82", "", "привет"},
		{"", "Hello World", "hello-world"},
		{"%zz", "", "zz"},
		{"Mixed_Case", "", "mixed-case"},
	}
	for _, tt := range tests {
		if got := slug(tt.wp, tt.fallback); got != tt.want {
			t.Errorf("slug(%q, %q) = %q, want %q", tt.wp, tt.fallback, got, tt.want)
		}
	}
}

func TestUploadKey(t *testing.T) {
	tests := map[string]string{
		"/wp-content/uploads/2020/03/a.jpg":           "2020/03/a.jpg",
		"/blog/wp-content/uploads/a.jpg":              "a.jpg",
		"/wp-content/uploads/../../../etc/passwd":     "etc/passwd",
		"/wp-content/uploads/":                        "",
		"/2020/03/a.jpg":                              "",
		"/wp-content/uploads/2020/03/a-1024x768.jpeg": "2020/03/a-1024x768.jpeg",
	}
	for in, want := range tests {
		if got := uploadKey(in); got != want {
			t.Errorf("uploadKey(%q) = %q, want %q", in, got, want)
		}
	}
}
