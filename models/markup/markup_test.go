package markup

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	r := New()
	tests := []struct {
		name      string
		src       string
		want      []string
		forbidden []string
	}{
		{"emphasis", "Hello *world*", []string{"<em>world</em>"}, nil},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"fenced code", "```go\nfmt.Println(\"<x>\")\n```", []string{`<code class="language-go">`, "&lt;x&gt;"}, nil},
		{"footnote", "Text[^1]\n\n[^1]: Note.", []string{"footnote", "Note."}, nil},
		{"autolink", "See https://example.com/a now", []string{`href="https://example.com/a"`}, nil},
		{"script stripped", "<script>alert(1)</script>hi", []string{"hi"}, []string{"<script", "alert(1)"}},
		{"onerror stripped", `<img src="x" onerror="alert(1)">`, nil, []string{"onerror"}},
		{"javascript link", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"footnote ids kept", "a[^1]\n\n[^1]: b", []string{`id="fn:1"`, `id="fnref:1"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.HTML(context.Background(), tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("HTML(%q) = %q, missing %q", tt.src, got, w)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(got, f) {
					t.Errorf("HTML(%q) = %q, must not contain %q", tt.src, got, f)
				}
			}
		})
	}
}

func TestLinksAndText(t *testing.T) {
	r := New()
	out, err := r.HTML(context.Background(), "[a](https://a.example/x) [b](/local) [c](https://a.example/x) <https://b.example/> [d](HTTP://C.example/)")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Links(out), []string{"https://a.example/x", "https://b.example/", "http://C.example/"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Links = %v, want %v", got, want)
	}
	if got := Text("<p>Hello <b>big</b>\n world</p>"); got != "Hello big world" {
		t.Errorf("Text = %q", got)
	}
	if got := Cut(strings.Repeat("é", 300), 255); len([]rune(got)) != 255 || !strings.HasSuffix(got, "...") {
		t.Errorf("Cut gave %d runes: %q", len([]rune(got)), got)
	}
}
