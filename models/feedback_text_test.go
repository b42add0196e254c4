package models

import "testing"

func TestFeedbackNormalize(t *testing.T) {
	f := Feedback{
		AuthorName: " A\u202Enn\x0b\n", AuthorEmail: "ann@example.com\u200F", SourceURL: "https://a.example/\x00",
		TargetURL: "\uFEFFhttps://b.example/", Title: "Line\r\none\u2066", UserAgent: "UA\x1b[31m",
		Content: "Hi \u202Eevil\u202C\x0b\xff\r\nthere\tfriend\u0085bye",
	}
	f.Normalize()
	want := Feedback{
		AuthorName: "Ann", AuthorEmail: "ann@example.com", SourceURL: "https://a.example/",
		TargetURL: "https://b.example/", Title: "Line one", UserAgent: "UA[31m",
		Content: "Hi evil\uFFFD\nthere\tfriend\nbye",
	}
	if f != want {
		t.Errorf("Normalize:\n got %+v\nwant %+v", f, want)
	}
	again := f
	again.Normalize()
	if again != f {
		t.Errorf("Normalize is not idempotent: %+v", again)
	}
}

// TestContentHTML: a comment keeps its paragraphs and line breaks, bare web
// addresses become nofollow ugc links, and nothing else is markup.
func TestContentHTML(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs and breaks", "One\nline two\r\n\r\n\n\nTwo", "<p>One<br>\nline two</p><p>Two</p>"},
		{"markup escaped", `<script>alert("x")</script> & <b>`, "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;</p>"},
		{"link", "see https://a.example/x?y=1&z=2.", `<p>see <a href="https://a.example/x?y=1&amp;z=2" rel="nofollow ugc">https://a.example/x?y=1&amp;z=2</a>.</p>`},
		{"parenthesised", "(http://a.example/p)", `<p>(<a href="http://a.example/p" rel="nofollow ugc">http://a.example/p</a>)</p>`},
		{"wikipedia parens", "https://en.wikipedia.org/wiki/Go_(game)", `<p><a href="https://en.wikipedia.org/wiki/Go_(game)" rel="nofollow ugc">https://en.wikipedia.org/wiki/Go_(game)</a></p>`},
		{"javascript never linked", "javascript:alert(1) JAVASCRIPT://x", "<p>javascript:alert(1) JAVASCRIPT://x</p>"},
		{"quote ends a link", `https://a.example/"onmouseover="x`, `<p><a href="https://a.example/" rel="nofollow ugc">https://a.example/</a>&#34;onmouseover=&#34;x</p>`},
		{"no host", "https:// and http://", "<p>https:// and http://</p>"},
		{"data url", "data:text/html,<b>x</b>", "<p>data:text/html,&lt;b&gt;x&lt;/b&gt;</p>"},
		{"empty", "  \n\n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Feedback{Content: tt.in}
			if got := f.ContentHTML(); got != tt.want {
				t.Errorf("ContentHTML(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}
