package assets

import (
	"mime"
	"testing"
)

// TestContentType: the types known without the system's MIME tables are
// the ones Go's own table gives, and an unknown extension falls back.
func TestContentType(t *testing.T) {
	for _, ext := range []string{".css", ".js", ".mjs", ".svg", ".png", ".ico", ".woff2", ".CSS"} {
		if got, want := contentType(ext), mime.TypeByExtension(ext); got != want {
			t.Errorf("%s: %q, mime says %q", ext, got, want)
		}
	}
	if got := contentType(".no-such-kind"); got != "application/octet-stream" {
		t.Errorf("unknown extension: %q", got)
	}
}
