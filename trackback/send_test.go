package trackback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestSend(t *testing.T) {
	ping := Ping{URL: "https://me.example/2024/post", Title: "Café & co", Excerpt: Excerpt(strings.Repeat("mot ", 100)), BlogName: "Mon blog"}
	tests := []struct {
		name      string
		status    int
		reply     string
		ping      Ping
		wantRem   string // RemoteError message expected
		wantHTTP  int    // HTTPError status expected
		wantErr   bool   // any other error
		retryable bool
	}{
		{name: "success", status: 200, reply: string(ResponseBody("", false)), ping: ping},
		{name: "success with whitespace and PHP notice", status: 200, ping: ping,
			reply: "<br />\n<b>Deprecated</b>: something in x.php<br />\n<?xml version=\"1.0\" encoding=\"utf-8\"?><response><error> 0 </error></response>"},
		{name: "error 1 with message", status: 200, reply: string(ResponseBody("There is already a ping from that URL for this post.", true)), ping: ping,
			wantRem: "There is already a ping from that URL for this post."},
		{name: "error message cleaned", status: 200, ping: ping,
			reply: "<response><error>1</error><message><![CDATA[<b>Bad</b>\n  ping\x01 &amp; more]]></message></response>", wantRem: "Bad ping & more"},
		{name: "error without message", status: 200, reply: "<response><error>1</error></response>", ping: ping, wantRem: ""},
		{name: "500", status: 500, reply: "Internal Server Error", ping: ping, wantHTTP: 500, retryable: true},
		{name: "403 throttled with XML", status: 403, reply: string(ResponseBody("You are sending TrackBack pings too quickly. Please try again later.", true)), ping: ping,
			wantHTTP: 403, retryable: true},
		{name: "garbage reply", status: 200, reply: "<html><body>Thanks!</body></html>", ping: ping, wantErr: true, retryable: true},
		{name: "non-numeric error", status: 200, reply: "<response><error>zero</error></response>", ping: ping, wantErr: true, retryable: true},
		{name: "empty reply", status: 200, reply: "", ping: ping, wantErr: true, retryable: true},
		{name: "invalid UTF-8 in ping fields is sent as valid UTF-8", status: 200, reply: string(ResponseBody("", false)),
			ping: Ping{URL: "http://me.example/p", Title: "bad \xff byte"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost {
					t.Errorf("method %s", r.Method)
				}
				mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
				if err != nil || mt != "application/x-www-form-urlencoded" || strings.ToLower(params["charset"]) != "utf-8" {
					t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
				}
				body, _ := io.ReadAll(r.Body)
				p, err := ParsePingBody(body, r.Header.Get("Content-Type"))
				if err != nil {
					t.Errorf("the receiver side cannot parse what was sent: %v", err)
				}
				form, _ := url.ParseQuery(string(body))
				for k, want := range map[string]string{"title": strings.ToValidUTF8(tt.ping.Title, "\uFFFD"), "url": tt.ping.URL,
					"excerpt": tt.ping.Excerpt, "blog_name": tt.ping.BlogName} {
					if got := form.Get(k); got != want {
						t.Errorf("field %s = %q, want %q", k, got, want)
					}
				}
				if tt.ping.Title == ping.Title && p != ping {
					t.Errorf("round trip: %+q", p)
				}
				w.Header().Set("Content-Type", XMLContentType)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.reply)
			}))
			defer srv.Close()
			err := Send(context.Background(), srv.Client(), srv.URL+"/tb/1", tt.ping)
			var rem *RemoteError
			var he *HTTPError
			switch {
			case tt.wantRem != "" || strings.Contains(tt.name, "without message"):
				if !errors.As(err, &rem) || rem.Message != tt.wantRem {
					t.Fatalf("err = %#v, want RemoteError %q", err, tt.wantRem)
				}
			case tt.wantHTTP != 0:
				if !errors.As(err, &he) || he.StatusCode != tt.wantHTTP {
					t.Fatalf("err = %v, want HTTP %d", err, tt.wantHTTP)
				}
			case tt.wantErr:
				if err == nil || errors.As(err, &rem) || errors.As(err, &he) {
					t.Fatalf("err = %#v, want a plain error", err)
				}
			default:
				if err != nil {
					t.Fatalf("err = %v", err)
				}
			}
			if IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v", err, !tt.retryable)
			}
		})
	}
}

func TestSendRequestErrors(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name      string
		client    *http.Client
		pingURL   string
		retryable bool
	}{
		{"nil client", nil, "http://a.example/tb", true},
		{"invalid ping URL", closed.Client(), "javascript:alert(1)", false},
		{"relative ping URL", closed.Client(), "/tb/1", false},
		{"connection refused", closed.Client(), closed.URL + "/tb", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Send(context.Background(), tt.client, tt.pingURL, Ping{URL: "http://me.example/"})
			if err == nil {
				t.Fatal("no error")
			}
			if IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v", err, !tt.retryable)
			}
		})
	}
}

func TestSendWebmention(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		reply     string
		wantErr   bool
		wantRem   bool
		retryable bool
	}{
		{name: "200", status: 200},
		{name: "201", status: 201},
		{name: "202", status: 202, reply: "queued"},
		{name: "400", status: 400, reply: "<p>Target <b>not</b> found</p>", wantErr: true, wantRem: true},
		{name: "410", status: 410, wantErr: true, wantRem: true},
		{name: "408", status: 408, wantErr: true, retryable: true},
		{name: "429", status: 429, wantErr: true, retryable: true},
		{name: "500", status: 500, wantErr: true, retryable: true},
		{name: "503", status: 503, wantErr: true, retryable: true},
		{name: "300 not followed", status: 300, wantErr: true, retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != "/webmention" || r.URL.RawQuery != "query=yes" {
					t.Errorf("request %s %s", r.Method, r.URL)
				}
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
					t.Errorf("Content-Type %q", ct)
				}
				body, _ := io.ReadAll(r.Body)
				form, err := url.ParseQuery(string(body))
				if err != nil || len(form) != 2 || form.Get("source") != "https://me.example/post" || form.Get("target") != "https://you.example/a?b=c" {
					t.Errorf("body %q", body)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.reply)
			}))
			defer srv.Close()
			err := SendWebmention(context.Background(), srv.Client(), srv.URL+"/webmention?query=yes", "https://me.example/post", "https://you.example/a?b=c")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			var rem *RemoteError
			if errors.As(err, &rem) != tt.wantRem {
				t.Errorf("err = %#v, RemoteError wanted: %v", err, tt.wantRem)
			}
			if rem != nil && !strings.HasPrefix(rem.Message, fmt.Sprint(tt.status)) {
				t.Errorf("message %q lacks the status", rem.Message)
			}
			if tt.reply != "" && rem != nil && rem.Message != "400 Bad Request: Target not found" {
				t.Errorf("message %q", rem.Message)
			}
			if IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v", err, !tt.retryable)
			}
		})
	}
	if err := SendWebmention(context.Background(), nil, "http://a.example/wm", "s", "t"); err == nil {
		t.Error("nil client accepted")
	}
	if err := SendWebmention(context.Background(), &http.Client{}, "ftp://a.example/wm", "s", "t"); !errors.Is(err, ErrInvalidURL) {
		t.Errorf("ftp endpoint: %v", err)
	}
}

func TestIsRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&RemoteError{Message: "no"}, false},
		{fmt.Errorf("wrapped: %w", &RemoteError{}), false},
		{ErrNoEndpoint, false},
		{fmt.Errorf("x: %w", ErrInvalidURL), false},
		{&HTTPError{StatusCode: 410, Status: "410 Gone"}, false},
		{&HTTPError{StatusCode: 503, Status: "503 Service Unavailable"}, true},
		{fmt.Errorf("x: %w", &HTTPError{StatusCode: 404}), true},
		{context.DeadlineExceeded, true},
		{io.ErrUnexpectedEOF, true},
	}
	for _, tt := range tests {
		if got := IsRetryable(tt.err); got != tt.want {
			t.Errorf("IsRetryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
