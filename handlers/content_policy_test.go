package handlers

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// cspDirective is one directive of a Content-Security-Policy header, or "".
func cspDirective(header http.Header, name string) string {
	for _, d := range strings.Split(header.Get("Content-Security-Policy"), ";") {
		if d = strings.TrimSpace(d); d == name || strings.HasPrefix(d, name+" ") {
			return d
		}
	}
	return ""
}

// TestRemoteImagesSetting: by default a post's images from other sites are
// links and the policy allows images from the blog only; with "Show images
// from other sites" on, the image is shown and img-src allows https:.
func TestRemoteImagesSetting(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	path := e.publish(c, "Cats", "![A cat](https://cats.example/cat.jpg)\n\n![Local](/media/1/x.png)", nil)
	tests := []struct {
		name            string
		remote          bool
		wantImg         string
		wantBody        []string
		forbiddenInBody []string
	}{
		{"off by default", false, "img-src 'self' data:",
			[]string{`<a class="remote-image" href="https://cats.example/cat.jpg"`, `<img src="/media/1/x.png"`}, []string{`<img src="https://cats.example`}},
		{"on", true, "img-src 'self' data: https:",
			[]string{`<img src="https://cats.example/cat.jpg" alt="A cat"`}, []string{"remote-image"}},
		{"off again", false, "img-src 'self' data:", []string{"remote-image"}, []string{`<img src="https://cats.example`}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if i > 0 {
				form := url.Values{"title": {"Blog"}, "posts_per_page": {"10"}}
				if tt.remote {
					form.Set("remote_images", "1")
				}
				if res := e.post(c, "/admin/settings", "/admin/settings", form); res.status != http.StatusSeeOther {
					t.Fatalf("save settings: %d\n%.500s", res.status, res.body)
				}
				if page := e.get(c, "/admin/settings"); strings.Contains(page.body, `name="remote_images" value="1" aria-describedby="st-remote-hint" checked`) != tt.remote {
					t.Errorf("the settings page does not show the box as saved (%v)", tt.remote)
				}
			}
			for _, page := range []string{path, path, "/"} { // the second may come from the page cache; the home page shows it whole
				res := e.get(e.client(), page)
				if got := cspDirective(res.header, "img-src"); got != tt.wantImg {
					t.Errorf("img-src = %q, want %q", got, tt.wantImg)
				}
				mustContain(t, res.body, tt.wantBody...)
				mustNotContain(t, res.body, tt.forbiddenInBody...)
			}
		})
	}
}

// TestEmbedsAllowOnlyTheirFrames: a page with click-to-load embeds allows
// frames from exactly those hosts; other pages allow none, and an iframe
// typed into a post is removed.
func TestEmbedsAllowOnlyTheirFrames(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	embeds := e.publish(c, "Videos", "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nhttps://vimeo.com/76979871\n\nhttps://social.example/@ann/1234", nil)
	plain := e.publish(c, "Typed iframe", `<iframe src="https://evil.example/"></iframe> Just text.`, nil)
	res := e.get(e.client(), embeds)
	if got, want := cspDirective(res.header, "frame-src"), "frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://social.example"; got != want {
		t.Errorf("frame-src = %q, want %q", got, want)
	}
	mustContain(t, res.body, `data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"`,
		`data-embed-src="https://player.vimeo.com/video/76979871?dnt=1"`, `data-embed-src="https://social.example/@ann/1234/embed"`)
	mustNotContain(t, res.body, "<iframe")
	if !strings.Contains(cspDirective(res.header, "frame-ancestors"), "'none'") {
		t.Error("the page may be framed")
	}
	for _, path := range []string{plain, "/admin/settings"} {
		res := e.get(c, path)
		if got := cspDirective(res.header, "frame-src"); got != "" {
			t.Errorf("%s: frame-src %q on a page without embeds", path, got)
		}
		mustNotContain(t, res.body, "evil.example", "<iframe")
	}
}

// gradientJPEG is a w×h photo-like JPEG.
func gradientJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestUploadMakesVariantsForSrcset: an upload wider than 480 px gets
// resized copies at 480/960/1600 (those narrower than it), served at
// ?w=WIDTH, and a post showing it gets srcset, sizes, width and height.
func TestUploadMakesVariantsForSrcset(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	tests := []struct {
		name     string
		data     []byte
		width    int
		variants []int
	}{
		{"wide photo", gradientJPEG(t, 2000, 1000), 2000, []int{480, 960, 1600}},
		{"medium photo", gradientJPEG(t, 1200, 800), 1200, []int{480, 960}},
		{"small image", noisePNG(t, 300), 300, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := e.upload(c, tt.name+".img", tt.data); res.status != http.StatusSeeOther {
				t.Fatalf("upload: %d %.300s", res.status, res.body)
			}
			id := int64(i + 1)
			m, err := e.store.MediaByID(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			size, err := e.store.MediaSize(context.Background(), id)
			if err != nil || size.Width != tt.width || len(size.Variants) != len(tt.variants) {
				t.Fatalf("MediaSize = %+v, %v; want width %d, variants %v", size, err, tt.width, tt.variants)
			}
			for j, w := range tt.variants {
				if size.Variants[j] != w {
					t.Fatalf("variants %v, want %v", size.Variants, tt.variants)
				}
				res := e.get(e.client(), m.VariantPath(w))
				if res.status != http.StatusOK || res.header.Get("Content-Type") != "image/jpeg" {
					t.Fatalf("variant %d: %d %s", w, res.status, res.header.Get("Content-Type"))
				}
				cfg, _, err := image.DecodeConfig(strings.NewReader(res.body))
				if err != nil || cfg.Width != w || len(res.body) >= len(tt.data) {
					t.Errorf("variant %d: %+v %v, %d bytes of %d", w, cfg, err, len(res.body), len(tt.data))
				}
			}
			if res := e.get(e.client(), m.VariantPath(123)); res.status != http.StatusNotFound {
				t.Errorf("a width never made: %d", res.status)
			}
			path := e.publish(c, "Shown "+tt.name, "![A picture]("+m.Path()+")", nil)
			body := e.get(e.client(), path).body
			if tt.variants == nil {
				mustContain(t, body, `width="300" height="300"`)
				mustNotContain(t, body, "srcset=")
				return
			}
			mustContain(t, body, m.VariantPath(tt.variants[0])+" 480w", m.Path()+" "+strconv.Itoa(tt.width)+`w" sizes="`)
		})
	}
}

// TestCancelledAutosaveIsNoServerError: an autosave whose page stopped
// waiting (the writer left, the fetch was aborted) logs no error.
func TestCancelledAutosaveIsNoServerError(t *testing.T) {
	e := newEnv(t)
	c, _ := e.admin()
	token := csrfFrom(t, e.get(c, "/admin/posts/new").body)
	var logs bytes.Buffer
	h := e.engine(e.store, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})))
	form := url.Values{"csrf_token": {token}, "kind": {"post"}, "title": {"Left mid-save"}, "body": {"Words"}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL+"/admin/posts/autosave", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", formCT)
	req.Header.Set("Accept", "application/json")
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code >= 500 || strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a cancelled autosave: %d\n%s", rec.Code, logs.String())
	}
}
