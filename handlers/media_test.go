package handlers

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// noisePNG is a PNG of n×n pixels that does not compress well.
func noisePNG(t testing.TB, n int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	seed := uint32(7)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223
		img.Pix[i] = byte(seed >> 24)
	}
	img.Set(0, 0, color.White)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload sends a file from the media page's form (with its CSRF token when
// the client is logged in).
func (e *testEnv) upload(c *http.Client, name string, data []byte) response {
	return e.uploadFrom(c, "/admin/media", name, data, nil)
}

// uploadIcon sends an image from the settings page's site icon form.
func (e *testEnv) uploadIcon(c *http.Client, name string, data []byte) response {
	return e.uploadFrom(c, "/admin/settings", name, data, map[string]string{"purpose": "icon"})
}

func (e *testEnv) uploadFrom(c *http.Client, page, name string, data []byte, fields map[string]string) response {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if page := e.get(c, page); page.status == http.StatusOK {
		_ = w.WriteField("csrf_token", csrfFrom(e.t, page.body))
	}
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/admin/media", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return e.send(c, req)
}

func TestNewMediaObject(t *testing.T) {
	e := newEnvConfig(t, models.Options{}, PingLimits{}, 2000)
	c, u := e.admin()
	img := testPNG(t)
	call := func(name string, data []byte) (any, error) {
		return e.rpcRaw(fmt.Sprintf(newMediaObjectCall, u.Name, testPassword, name, wrap76(base64.StdEncoding.EncodeToString(data))))
	}
	v, err := call("My Photo.JPG", img)
	if err != nil {
		t.Fatal(err)
	}
	got := asStruct(t, v)
	if got["url"] != "http://blog.test/media/1/my-photo.png" || got["type"] != "image/png" || got["file"] != "my-photo.png" || got["id"] != "1" {
		t.Fatalf("newMediaObject = %v", got)
	}
	res := e.get(e.client(), "/media/1/my-photo.png")
	if res.status != http.StatusOK || res.body != string(img) {
		t.Fatalf("served: %d, %d bytes (want %d)", res.status, len(res.body), len(img))
	}
	for h, want := range map[string]string{
		"Content-Type": "image/png", "Cache-Control": "public, max-age=31536000, immutable",
		"X-Content-Type-Options": "nosniff", "Content-Disposition": `inline; filename=my-photo.png`,
		"Content-Length": fmt.Sprint(len(img)),
	} {
		if got := res.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	etag := res.header.Get("ETag")
	if len(etag) != 66 {
		t.Errorf("ETag = %q", etag)
	}
	if res := e.do(e.client(), "GET", "/media/1/my-photo.png", nil, "If-None-Match", etag); res.status != http.StatusNotModified {
		t.Errorf("conditional GET: %d", res.status)
	}
	if res := e.get(e.client(), "/media/1/other.png"); res.status != http.StatusMovedPermanently || res.header.Get("Location") != "/media/1/my-photo.png" {
		t.Errorf("wrong name: %d %s", res.status, res.header.Get("Location"))
	}
	for _, path := range []string{"/media/2/x.png", "/media/abc/x.png"} {
		if res := e.get(e.client(), path); res.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.status)
		}
	}
	if again := asStruct(t, e.mustRPC("metaWeblog.newMediaObject", "1", u.Name, testPassword,
		map[string]any{"name": "my-photo.png", "type": "image/png", "bits": img})); again["id"] != "1" {
		t.Errorf("the same image again must not be stored twice: %v", again)
	}

	_, err = call("evil.png", []byte("<html><script>alert(document.cookie)</script></html>"))
	wantFault(t, err, 500, "Only PNG, JPEG, GIF and WebP images")
	_, err = call("big.png", noisePNG(t, 40))
	wantFault(t, err, 500, "larger than the limit of 2 KiB")
	_, err = e.rpc("metaWeblog.newMediaObject", "1", u.Name, "wrong password", map[string]any{"name": "a.png", "bits": img})
	wantFault(t, err, 403, "Incorrect username or password.")

	page := e.get(c, "/admin/media")
	mustContain(t, page.body, `src="http://blog.test/media/1/my-photo.png"`, "image/png", "at most 2 KiB", fmt.Sprintf("%d bytes", len(img)))
}

func TestAdminMedia(t *testing.T) {
	e := newEnvConfig(t, models.Options{}, PingLimits{}, 4000)
	c, _ := e.admin()
	img := testPNG(t)
	res := e.upload(c, "Diagram.png", img)
	if res.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %.500s", res.status, res.body)
	}
	page := e.get(c, "/admin/media")
	mustContain(t, page.body, "Uploaded diagram.png.", `value="http://blog.test/media/1/diagram.png"`)
	if res := e.get(e.client(), "/media/1/diagram.png"); res.body != string(img) || res.header.Get("Content-Type") != "image/png" {
		t.Errorf("served upload differs: %d %s", res.status, res.header.Get("Content-Type"))
	}
	res = e.upload(c, "notes.png", []byte("plain text, not an image"))
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Only PNG, JPEG, GIF and WebP") {
		t.Errorf("wrong type: %d", res.status)
	}
	res = e.upload(c, "big.png", noisePNG(t, 200))
	if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "larger than the limit of 3.9 KiB") {
		t.Errorf("too large: %d %.300s", res.status, res.body)
	}
	res = e.upload(c, "a bit too big.png", noisePNG(t, 36))
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "larger than the limit") {
		t.Errorf("over the cap within the envelope: %d", res.status)
	}
	res = e.post(c, "/admin/media", "/admin/media/1/delete", nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.status)
	}
	if res := e.get(e.client(), "/media/1/diagram.png"); res.status != http.StatusNotFound {
		t.Errorf("deleted media still served: %d", res.status)
	}
	if res := e.upload(e.client(), "x.png", img); res.status == http.StatusSeeOther {
		t.Error("upload without login accepted")
	}
}
