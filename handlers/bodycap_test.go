package handlers

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/models"
)

// chunked sends body with no Content-Length (Transfer-Encoding: chunked).
func (e *testEnv) chunked(c *http.Client, path, contentType string, body []byte) response {
	e.t.Helper()
	// A reader of unknown length leaves ContentLength 0 (unknown): the
	// transport sends the body chunked.
	req, err := http.NewRequest("POST", e.srv.URL+path, struct{ io.Reader }{bytes.NewReader(body)})
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return e.send(c, req)
}

func TestOversizedBodiesGet413ChunkedOrNot(t *testing.T) {
	e := newEnvConfig(t, models.Options{}, PingLimits{}, 4000)
	c, _ := e.admin()
	e.publish(c, "Capped", "text", nil)
	const formCT = "application/x-www-form-urlencoded"
	token := csrfFrom(t, e.get(c, "/admin/media").body)

	var upload bytes.Buffer
	w := multipart.NewWriter(&upload)
	_ = w.WriteField("csrf_token", token)
	fw, _ := w.CreateFormFile("file", "big.png")
	_, _ = fw.Write(bytes.Repeat([]byte{0x89}, 200<<10))
	_ = w.Close()

	bigForm := url.Values{"csrf_token": {token}, "name": {"A"}, "content": {strings.Repeat("a", 5<<20)}}.Encode()
	small := url.Values{"name": {"Ann"}, "content": {"fits"}}.Encode()
	tests := []struct {
		name, path, ct string
		body           []byte
		want           int
	}{
		{"upload over the media cap", "/admin/media", w.FormDataContentType(), upload.Bytes(), http.StatusRequestEntityTooLarge},
		{"admin form over the form cap", "/admin/settings", formCT, []byte(bigForm), http.StatusRequestEntityTooLarge},
		{"login form over the form cap", "/login", formCT, []byte(bigForm), http.StatusRequestEntityTooLarge},
		{"comment over the form cap", "/comments/1", formCT, []byte(bigForm), http.StatusRequestEntityTooLarge},
		{"comment under the cap", "/comments/1", formCT, []byte(small), http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.chunked(c, tt.path, tt.ct, tt.body)
			if res.status != tt.want {
				t.Fatalf("chunked: %d, want %d: %.300s", res.status, tt.want, res.body)
			}
			if tt.want == http.StatusRequestEntityTooLarge {
				mustContain(t, res.body, "larger than")
				req, _ := http.NewRequest("POST", e.srv.URL+tt.path, bytes.NewReader(tt.body))
				req.Header.Set("Content-Type", tt.ct)
				if sized := e.send(c, req); sized.status != tt.want {
					t.Errorf("with Content-Length: %d", sized.status)
				}
			}
		})
	}
}
