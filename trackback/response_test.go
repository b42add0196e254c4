package trackback

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestResponseBody(t *testing.T) {
	tests := []struct {
		name    string
		message string
		failed  bool
		want    string
	}{
		{"success", "", false, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n<error>0</error>\n</response>\n"},
		{"success ignores message", "ignored", false, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n<error>0</error>\n</response>\n"},
		{"error", "The error message", true, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n<error>1</error>\n<message>The error message</message>\n</response>\n"},
		{"error escaped", `<a href="x">&'</a>`, true, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n<error>1</error>\n<message>&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;</message>\n</response>\n"},
		{"error without XML-illegal characters", "a\x00b\x1bc\xffd", true, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n<error>1</error>\n<message>abc\uFFFDd</message>\n</response>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ResponseBody(tt.message, tt.failed)
			if string(got) != tt.want {
				t.Fatalf("got\n%q\nwant\n%q", got, tt.want)
			}
			var r struct {
				Error   int    `xml:"error"`
				Message string `xml:"message"`
			}
			if err := xml.Unmarshal(got, &r); err != nil {
				t.Fatalf("not XML: %v", err)
			}
			if (r.Error == 1) != tt.failed {
				t.Errorf("error = %d", r.Error)
			}
		})
	}
}

func TestWriteResponses(t *testing.T) {
	tests := []struct {
		name       string
		write      func(http.ResponseWriter)
		wantStatus int
		wantBody   string
	}{
		{"success", WriteSuccess, 200, string(ResponseBody("", false))},
		{"error 200", func(w http.ResponseWriter) { WriteError(w, 0, "No URL was given") }, 200, string(ResponseBody("No URL was given", true))},
		{"error 413", func(w http.ResponseWriter) { WriteError(w, http.StatusRequestEntityTooLarge, ErrTooLarge.Error()) }, 413, string(ResponseBody(ErrTooLarge.Error(), true))},
		{"error 429", func(w http.ResponseWriter) { WriteError(w, http.StatusTooManyRequests, "slow down") }, 429, string(ResponseBody("slow down", true))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.write(rec)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/xml; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if rec.Body.String() != tt.wantBody {
				t.Errorf("body %q, want %q", rec.Body.String(), tt.wantBody)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{ErrMissingURL, "No URL was given"},
		{ErrInvalidURL, ErrInvalidURL.Error()},
		{ErrUndecodable, ErrUndecodable.Error()},
		{ErrTooLarge, ErrTooLarge.Error()},
		{ErrUnsupportedCharset, ErrUnsupportedCharset.Error()},
		{unsupportedCharset("UTF-7"), "The character set is not supported: UTF-7"},
		{unsupportedCharset("\x00\xff"), ErrUnsupportedCharset.Error()},
		{http.ErrBodyReadAfterClose, genericMessage},
		{nil, genericMessage},
	}
	for _, tt := range tests {
		if got := ErrorMessage(tt.err); got != tt.want {
			t.Errorf("ErrorMessage(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
