package trackback

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkDiscoverCPU1MiB measures the CPU discovery spends on a 1 MiB
// page once it is read: a page whose matching TrackBack block comes last; one
// that names "webmention" and "pingback" only in its text; and the worst
// case, a page with a rel="webmention" element commented out at its end, so
// the HTML tokenizer must read all of it.
func BenchmarkDiscoverCPU1MiB(b *testing.B) {
	const link = "http://e.example/target"
	final, _ := url.Parse(link)
	for _, bc := range []struct {
		name string
		page []byte
	}{
		{"trackback-last", bigPage()},
		{"words-in-text", append(bigPage(), "<p>No webmention or pingback here.</p>"...)},
		{"tokenizer-worst-case", append(bigPage(), `<!-- <link rel="webmention" href="/wm"> -->`...)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.page)))
			b.ReportAllocs()
			for b.Loop() {
				ep, err := endpointIn(nil, bc.page, link, final)
				if err != nil || ep.Protocol != ProtocolTrackBack {
					b.Fatal(ep, err)
				}
			}
		})
	}
}

// BenchmarkDiscover1MiB is the whole Discover of a 1 MiB page over loopback
// HTTP, the test server's work included.
func BenchmarkDiscover1MiB(b *testing.B) {
	page := bigPage()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	}))
	defer srv.Close()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Discover(context.Background(), srv.Client(), srv.URL+"/target"); !errors.Is(err, ErrNoEndpoint) {
			b.Fatal(err)
		}
	}
}
