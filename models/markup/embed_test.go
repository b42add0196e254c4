package markup

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestEmbeds(t *testing.T) {
	r := New()
	tests := []struct {
		name      string
		src       string
		want      []string
		forbidden []string
	}{
		{"youtube watch", "Look:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3\n\nNice.",
			[]string{`<figure class="embed embed-youtube" data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"`,
				`<button type="button" class="embed-load" hidden>Load video</button>`,
				`<figcaption><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=3">`, "<p>Nice.</p>"},
			[]string{"<iframe", "youtube.com/embed"}},
		{"youtu.be", "https://youtu.be/dQw4w9WgXcQ", []string{`data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"`}, nil},
		{"youtube shorts", "https://youtube.com/shorts/dQw4w9WgXcQ", []string{`data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"`}, nil},
		{"vimeo", "https://vimeo.com/76979871", []string{`class="embed embed-vimeo" data-embed-src="https://player.vimeo.com/video/76979871?dnt=1"`}, nil},
		{"mastodon", "https://mastodon.social/@Gargron/109462321459402436",
			[]string{`class="embed embed-mastodon" data-embed-src="https://mastodon.social/@Gargron/109462321459402436/embed"`, "Mastodon post"}, nil},
		{"link inside a sentence stays a link", "Watch https://youtu.be/dQw4w9WgXcQ today",
			[]string{`<a href="https://youtu.be/dQw4w9WgXcQ">`}, []string{"<figure"}},
		{"link with its own words stays a link", "[my video](https://youtu.be/dQw4w9WgXcQ)",
			[]string{`>my video</a>`}, []string{"<figure"}},
		{"http is not embedded", "http://youtu.be/dQw4w9WgXcQ", nil, []string{"<figure"}},
		{"other sites are links", "https://example.com/@someone", nil, []string{"<figure"}},
		{"bad youtube id", "https://www.youtube.com/watch?v=short", nil, []string{"<figure"}},
		{"a typed iframe is removed", `<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>`,
			nil, []string{"<iframe", "data-embed-src"}},
		{"a typed iframe from anywhere is removed", `<iframe src="https://evil.example/x" onload="alert(1)"></iframe>hi`,
			[]string{"hi"}, []string{"<iframe", "evil.example", "onload"}},
		{"a typed placeholder is not trusted", `<figure class="embed" data-embed-src="https://evil.example/"><button class="embed-load">x</button></figure>`,
			nil, []string{"data-embed-src", "<button"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.HTML(context.Background(), tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("HTML(%q) =\n%s\nmissing %q", tt.src, got, w)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(got, f) {
					t.Errorf("HTML(%q) =\n%s\nkeeps %q", tt.src, got, f)
				}
			}
		})
	}
}

func TestEmbedHosts(t *testing.T) {
	r := New()
	out, err := r.HTML(context.Background(), "https://youtu.be/dQw4w9WgXcQ\n\nhttps://vimeo.com/1\n\nhttps://youtu.be/aaaaaaaaaaa\n\nhttps://social.example/@a/1")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"www.youtube-nocookie.com", "player.vimeo.com", "social.example"}
	if got := EmbedHosts([]byte(out)); !reflect.DeepEqual(got, want) {
		t.Errorf("EmbedHosts = %v, want %v", got, want)
	}
	if got := EmbedHosts([]byte("<p>none</p>")); got != nil {
		t.Errorf("no embeds: %v", got)
	}
}

func TestLocalImagesOnly(t *testing.T) {
	r := New()
	out, err := r.HTML(context.Background(), `![A cat](https://cats.example/cat.jpg) ![](//cdn.example/x.png) ![here](/media/1/a.png)`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `<img src="https://cats.example/cat.jpg"`) {
		t.Fatalf("the stored HTML lost the remote image: %s", out)
	}
	got := LocalImagesOnly(out)
	for _, w := range []string{`<a class="remote-image" href="https://cats.example/cat.jpg" rel="nofollow noopener">Image: A cat (cats.example)</a>`,
		`href="//cdn.example/x.png"`, `<img src="/media/1/a.png" alt="here"`} {
		if !strings.Contains(got, w) {
			t.Errorf("LocalImagesOnly =\n%s\nmissing %q", got, w)
		}
	}
	if strings.Contains(got, `<img src="https:`) || strings.Contains(got, `<img src="//`) {
		t.Errorf("a remote image is left: %s", got)
	}
}

type sizes map[int64]MediaSize

func (s sizes) MediaSize(_ context.Context, id int64) (MediaSize, error) {
	if m, ok := s[id]; ok {
		return m, nil
	}
	return MediaSize{}, errors.New("not found")
}

func TestUploadedImagesGetSrcsetAndFigures(t *testing.T) {
	r := New(WithMedia(sizes{7: {Width: 2000, Height: 1000, Variants: []int{480, 960, 1600}}, 8: {Width: 300, Height: 200}}))
	out, err := r.HTML(context.Background(), "![Harbour](/media/7/harbour.jpg \"The harbour at dawn\")\n\nText ![small](/media/8/s.png) and ![gone](/media/9/x.png)")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		`<figure><img src="/media/7/harbour.jpg" alt="Harbour" title="The harbour at dawn" width="2000" height="1000" ` +
			`srcset="/media/7/harbour.jpg?w=480 480w, /media/7/harbour.jpg?w=960 960w, /media/7/harbour.jpg?w=1600 1600w, /media/7/harbour.jpg 2000w" sizes="`,
		`<figcaption>The harbour at dawn</figcaption></figure>`,
		`<img src="/media/8/s.png" alt="small" width="300" height="200" loading="lazy" decoding="async">`,
		`<img src="/media/9/x.png" alt="gone">`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("HTML =\n%s\nmissing %q", out, w)
		}
	}
}
