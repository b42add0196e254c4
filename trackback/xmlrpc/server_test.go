package xmlrpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log sink safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const secret = "pq: password authentication failed for user \"crosstalk\""

func newTestServer(logs io.Writer, maxBody int64) *Server {
	s := NewServer(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), maxBody)
	s.Register("metaWeblog.newPost", func(ctx context.Context, p Params) (any, error) {
		if _, err := p.String(0); err != nil {
			return nil, err
		}
		user, err := p.String(1)
		if err != nil {
			return nil, err
		}
		if pass, err := p.String(2); err != nil {
			return nil, err
		} else if user != "admin" || pass != "s3cr&t" {
			return nil, &Fault{Code: 403, Message: "Incorrect username or password."}
		}
		content, err := p.Struct(3)
		if err != nil {
			return nil, err
		}
		title, err := content.String("title")
		if err != nil {
			return nil, err
		}
		if _, err := p.Bool(4); err != nil {
			return nil, err
		}
		return "42:" + title, nil
	})
	s.Register("test.plainError", func(context.Context, Params) (any, error) {
		return nil, errors.New(secret)
	})
	s.Register("test.wrappedFault", func(context.Context, Params) (any, error) {
		return nil, fmt.Errorf("store: %w", &Fault{Code: 404, Message: "Invalid post ID."})
	})
	s.Register("test.nilFault", func(context.Context, Params) (any, error) {
		var f *Fault
		return nil, f
	})
	s.Register("test.panic", func(context.Context, Params) (any, error) {
		panic(secret)
	})
	s.Register("test.unencodable", func(context.Context, Params) (any, error) {
		return make(chan int), nil
	})
	s.Register("test.echo", func(_ context.Context, p Params) (any, error) {
		return []any(p), nil
	})
	return s
}

func TestServer(t *testing.T) {
	const maxBody = 4096
	big := wrapCall("<value>" + strings.Repeat("x", maxBody) + "</value>")
	tests := []struct {
		name      string
		body      string
		want      any
		wantCode  int    // fault code; 0 means success
		wantMsg   string // exact fault message, if set
		wantLog   string // substring expected in the logs
		forbidden string // must not appear in the response
	}{
		{name: "MarsEdit newPost", body: marsEditNewPost, want: "42:Hello <World>"},
		{name: "Open Live Writer newPost", body: openLiveWriterNewPost, want: "42:Hello <World>"},
		{name: "handler fault", body: strings.Replace(marsEditNewPost, "s3cr&amp;t", "wrong", 1), wantCode: 403, wantMsg: "Incorrect username or password."},
		{name: "wrong param type", body: strings.Replace(marsEditNewPost, "<boolean>1</boolean>", "<string>maybe</string>", 1),
			wantCode: CodeInvalidParams, wantMsg: "invalid params: param 4: expected boolean, got string"},
		{name: "too few params", body: strings.Replace(wrapCall("<value>1</value>"), "<methodName>m<", "<methodName>metaWeblog.newPost<", 1),
			wantCode: CodeInvalidParams, wantMsg: "invalid params: missing param 1 (got 1 params)"},
		{name: "unknown method", body: `<methodCall><methodName>blogger.deletePost</methodName></methodCall>`,
			wantCode: CodeMethodNotFound, wantMsg: "requested method blogger.deletePost not found"},
		{name: "unknown long method clipped", body: `<methodCall><methodName>` + strings.Repeat("a", 500) + `</methodName></methodCall>`,
			wantCode: CodeMethodNotFound, wantMsg: "requested method " + strings.Repeat("a", 100) + "... not found"},
		{name: "unknown multibyte method clipped between characters", body: `<methodCall><methodName>` + strings.Repeat("é", 500) + `</methodName></methodCall>`,
			wantCode: CodeMethodNotFound, wantMsg: "requested method " + strings.Repeat("é", 100) + "... not found"},
		{name: "malformed", body: "<methodCall><methodName>x", wantCode: CodeParseError},
		{name: "entity", body: `<!DOCTYPE m [<!ENTITY e "x">]><methodCall><methodName>&e;</methodName></methodCall>`, wantCode: CodeParseError},
		{name: "too large", body: big, wantCode: CodeParseError, wantMsg: "parse error. request too large", wantLog: "too large"},
		{name: "plain error hidden", body: `<methodCall><methodName>test.plainError</methodName></methodCall>`,
			wantCode: CodeApplicationError, wantMsg: "internal error", wantLog: "password authentication failed", forbidden: "password"},
		{name: "wrapped fault", body: `<methodCall><methodName>test.wrappedFault</methodName></methodCall>`, wantCode: 404, wantMsg: "Invalid post ID."},
		{name: "nil *Fault", body: `<methodCall><methodName>test.nilFault</methodName></methodCall>`, wantCode: CodeApplicationError, wantMsg: "internal error"},
		{name: "panic recovered", body: `<methodCall><methodName>test.panic</methodName></methodCall>`,
			wantCode: CodeApplicationError, wantMsg: "internal error", wantLog: "panicked", forbidden: "password"},
		{name: "unencodable result", body: `<methodCall><methodName>test.unencodable</methodName></methodCall>`,
			wantCode: CodeApplicationError, wantMsg: "internal error", wantLog: "cannot encode", forbidden: "chan"},
		{name: "echo", body: strings.Replace(newMediaObject, "metaWeblog.newMediaObject", "test.echo", 1), want: []any{"1", "admin", "secret", map[string]any{
			"name": "photo.png", "type": "image/png", "overwrite": false,
			"bits": []byte("The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog."),
		}}},
		{name: "system.listMethods", body: listMethods, want: []any{
			"metaWeblog.newPost", "system.listMethods", "test.echo", "test.nilFault", "test.panic",
			"test.plainError", "test.unencodable", "test.wrappedFault",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			s := newTestServer(&logs, maxBody)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/xmlrpc.php", strings.NewReader(tt.body)))

			if rec.Code != http.StatusOK {
				t.Errorf("status = %d, want 200", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/xml; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			body := rec.Body.String()
			if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Errorf("body lacks XML declaration:\n%s", body)
			}
			if tt.forbidden != "" && strings.Contains(body, tt.forbidden) {
				t.Errorf("response leaks %q:\n%s", tt.forbidden, body)
			}
			if tt.wantLog != "" && !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("logs lack %q:\n%s", tt.wantLog, logs.String())
			}
			got, err := DecodeResponse(strings.NewReader(body))
			if tt.wantCode == 0 {
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %#v, %v; want %#v", got, err, tt.want)
				}
				return
			}
			var f *Fault
			if !errors.As(err, &f) {
				t.Fatalf("got %#v, %v; want fault %d", got, err, tt.wantCode)
			}
			if f.Code != tt.wantCode || (tt.wantMsg != "" && f.Message != tt.wantMsg) {
				t.Errorf("fault = %d %q, want %d %q", f.Code, f.Message, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

func TestServerRejectsNonPost(t *testing.T) {
	s := NewServer(nil, 0)
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(method, "/xmlrpc.php", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s: status = %d, want 405", method, rec.Code)
		}
		if got := rec.Header().Get("Allow"); got != http.MethodPost {
			t.Errorf("%s: Allow = %q", method, got)
		}
		if got := rec.Body.String(); got != "XML-RPC server accepts POST requests only." {
			t.Errorf("%s: body = %q", method, got)
		}
	}
}

func TestServerRegister(t *testing.T) {
	s := NewServer(nil, 0)
	if got, want := s.Methods(), []string{"system.listMethods"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Methods() = %v, want %v", got, want)
	}
	h := func(context.Context, Params) (any, error) { return "override", nil }
	s.Register("system.listMethods", h)
	s.Register("b.x", h)
	s.Register("a.x", h)
	if got, want := s.Methods(), []string{"a.x", "b.x", "system.listMethods"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Methods() = %v, want %v", got, want)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(listMethods)))
	if got, err := DecodeResponse(rec.Body); got != "override" {
		t.Errorf("overridden system.listMethods = %#v, %v", got, err)
	}
	for _, bad := range []struct {
		name string
		h    HandlerFunc
	}{{"", h}, {"x", nil}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q, %v) did not panic", bad.name, bad.h != nil)
				}
			}()
			s.Register(bad.name, bad.h)
		}()
	}
}

func TestServerAbortHandler(t *testing.T) {
	s := NewServer(nil, 0)
	s.Register("abort", func(context.Context, Params) (any, error) { panic(http.ErrAbortHandler) })
	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", r)
		}
	}()
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/",
		strings.NewReader(`<methodCall><methodName>abort</methodName></methodCall>`)))
	t.Error("ServeHTTP returned normally")
}

// TestServerHTTP exercises the server over a real connection, concurrently
// with registrations, using Call as the client.
func TestServerHTTP(t *testing.T) {
	var logs syncBuffer
	s := newTestServer(&logs, 0)
	ts := httptest.NewServer(s)
	defer ts.Close()

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Register(fmt.Sprintf("dyn.m%d", i), func(context.Context, Params) (any, error) { return i, nil })
			got, err := Call(context.Background(), ts.Client(), ts.URL, "test.echo", i, "x")
			if err != nil || !reflect.DeepEqual(got, []any{i, "x"}) {
				t.Errorf("echo %d = %#v, %v", i, got, err)
			}
		}()
	}
	wg.Wait()
	got, err := Call(context.Background(), ts.Client(), ts.URL, "dyn.m3")
	if err != nil || got != 3 {
		t.Errorf("dyn.m3 = %#v, %v", got, err)
	}
}
