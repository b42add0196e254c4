package xmlrpc

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCall(t *testing.T) {
	var sawContentType, sawMethod string
	var sawParams []any
	pingback := NewServer(nil, 0)
	pingback.Register("pingback.ping", func(_ context.Context, p Params) (any, error) {
		source, err := p.String(0)
		if err != nil {
			return nil, err
		}
		if source == "http://dup.example/" {
			return nil, &Fault{Code: 48, Message: "The pingback has already been registered."}
		}
		return "Pingback from " + source + " registered.", nil
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/xmlrpc.php", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sawContentType = r.Header.Get("Content-Type")
		var err error
		if sawMethod, sawParams, err = DecodeCall(strings.NewReader(string(body))); err != nil {
			t.Errorf("server could not decode the call: %v", err)
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		pingback.ServeHTTP(w, r)
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>oops</html>", http.StatusInternalServerError)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<html><body>Not XML-RPC</body></html>")
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		_ = EncodeResponse(w, strings.Repeat("x", MaxResponseSize))
	})
	mux.HandleFunc("/almost", func(w http.ResponseWriter, r *http.Request) {
		_ = EncodeResponse(w, strings.Repeat("x", MaxResponseSize-200))
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	ctx := context.Background()

	got, err := Call(ctx, ts.Client(), ts.URL+"/xmlrpc.php", "pingback.ping", "http://src.example/", "http://dst.example/")
	if err != nil || got != "Pingback from http://src.example/ registered." {
		t.Errorf("Call = %#v, %v", got, err)
	}
	if sawContentType != "text/xml" || sawMethod != "pingback.ping" || len(sawParams) != 2 {
		t.Errorf("server saw Content-Type %q, method %q, params %#v", sawContentType, sawMethod, sawParams)
	}

	tests := []struct {
		name      string
		client    *http.Client
		path      string
		params    []any
		wantFault int
	}{
		{name: "fault", client: ts.Client(), path: "/xmlrpc.php", params: []any{"http://dup.example/", "x"}, wantFault: 48},
		{name: "invalid params fault", client: ts.Client(), path: "/xmlrpc.php", params: []any{1.5}, wantFault: CodeInvalidParams},
		{name: "nil client", client: nil, path: "/xmlrpc.php"},
		{name: "HTTP 500", client: ts.Client(), path: "/broken"},
		{name: "HTML", client: ts.Client(), path: "/html"},
		{name: "response over 1 MiB", client: ts.Client(), path: "/huge"},
		{name: "unencodable param", client: ts.Client(), path: "/xmlrpc.php", params: []any{make(chan int)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Call(ctx, tt.client, ts.URL+tt.path, "pingback.ping", tt.params...)
			if err == nil {
				t.Fatalf("Call succeeded: %#v", got)
			}
			var f *Fault
			isFault := errors.As(err, &f)
			if tt.wantFault != 0 && (!isFault || f.Code != tt.wantFault) {
				t.Errorf("error = %v, want fault %d", err, tt.wantFault)
			}
			if tt.wantFault == 0 && isFault {
				t.Errorf("error = %v, want a non-fault error", err)
			}
		})
	}

	if got, err := Call(ctx, ts.Client(), ts.URL+"/almost", "x"); err != nil || len(got.(string)) != MaxResponseSize-200 {
		t.Errorf("response just under the cap: %v", err)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Call(canceled, ts.Client(), ts.URL+"/xmlrpc.php", "pingback.ping", "a", "b"); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: err = %v", err)
	}
}
