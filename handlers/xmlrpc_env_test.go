package handlers

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// rpcRaw posts an XML-RPC request body to /xmlrpc and decodes the answer.
// Every answer, faults included, must be HTTP 200 text/xml.
func (e *testEnv) rpcRaw(body string, headers ...string) (any, error) {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+"/xmlrpc", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/xml")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/xml") {
		e.t.Fatalf("XML-RPC answer: HTTP %d %s\n%.500s", res.StatusCode, res.Header.Get("Content-Type"), raw)
	}
	v, err := xmlrpc.DecodeResponse(bytes.NewReader(raw))
	var f *xmlrpc.Fault
	if err != nil && !errors.As(err, &f) {
		e.t.Fatalf("undecodable answer: %v\n%.500s", err, raw)
	}
	return v, err
}

// rpc encodes a call the way xmlrpc.EncodeCall does and sends it.
func (e *testEnv) rpc(method string, params ...any) (any, error) {
	e.t.Helper()
	var buf bytes.Buffer
	if err := xmlrpc.EncodeCall(&buf, method, params...); err != nil {
		e.t.Fatal(err)
	}
	return e.rpcRaw(buf.String())
}

// mustRPC is rpc that fails the test on a fault.
func (e *testEnv) mustRPC(method string, params ...any) any {
	e.t.Helper()
	v, err := e.rpc(method, params...)
	if err != nil {
		e.t.Fatalf("%s: %v", method, err)
	}
	return v
}

// wantFault checks err is a fault with code and a message containing msg.
func wantFault(t testing.TB, err error, code int, msg string) {
	t.Helper()
	var f *xmlrpc.Fault
	if !errors.As(err, &f) {
		t.Fatalf("want fault %d, got %v", code, err)
	}
	if f.Code != code || !strings.Contains(f.Message, msg) {
		t.Fatalf("got fault %d %q, want %d containing %q", f.Code, f.Message, code, msg)
	}
}

func asStruct(t testing.TB, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("want a struct, got %T %v", v, v)
	}
	return m
}

func asArray(t testing.TB, v any) []any {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("want an array, got %T %v", v, v)
	}
	return a
}

// testPNG is a real 3×2 PNG image.
func testPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{R: 200, G: 10, B: 10, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wrap76 breaks base64 into CRLF-terminated lines of 76 characters, as MIME
// encoders (and so several clients) do.
func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s + "\r\n")
	return b.String()
}
