package pagecache

import (
	"net/http"
	"strconv"
	"strings"
)

var (
	varyValue     = []string{"Accept, Accept-Encoding"} // permalinks also answer ActivityStreams JSON by Accept
	gzipValue     = []string{"gzip"}
	noCacheValue  = []string{"no-cache"}
	headerVary    = "Vary"
	headerETag    = "Etag"
	headerLastMod = "Last-Modified"
	headerLength  = "Content-Length"
	headerEnc     = "Content-Encoding"
	headerCC      = "Cache-Control"
)

// Write answers r with p: 304 when the client's validators match, else
// 200 with the gzip copy to clients that accept it. Headers already set on
// w (security headers, a request id) are kept. It returns the status sent.
func (p *Page) Write(w http.ResponseWriter, r *http.Request) int {
	h := w.Header()
	for k, v := range p.Header {
		h[k] = v
	}
	if _, ok := p.Header[headerCC]; !ok {
		// Browsers revalidate every time, so a login or a new comment is
		// seen at once; the answer is then usually a 304.
		h[headerCC] = noCacheValue
	}
	h[headerVary] = varyValue
	h[headerLastMod] = p.lastModified
	body, etag, length := p.Body, p.etag, p.length
	if p.Gzip != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag, length = p.Gzip, p.gzipETag, p.gzipLength
		h[headerEnc] = gzipValue
	}
	h[headerETag] = etag
	if p.notModified(r) {
		delete(h, "Content-Type")
		delete(h, headerEnc)
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	h[headerLength] = length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return http.StatusOK
}

// notModified applies If-None-Match (either variant's tag matches: the
// weak comparison RFC 9110 asks for) and, only without it,
// If-Modified-Since.
func (p *Page) notModified(r *http.Request) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagListMatches(inm, p.ETag, p.GzipETag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || !p.ModifiedExact {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !t.Before(p.Modified)
}

func etagListMatches(list, tag, gzTag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		t = strings.TrimPrefix(t, "W/")
		if t == tag || t == gzTag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip (or *)
// with a non-zero quality.
func acceptsGzip(ae string) bool {
	if ae == "" {
		return false
	}
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		q := strings.TrimSpace(params)
		if v, ok := strings.CutPrefix(q, "q="); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f == 0 {
				continue
			}
		}
		return true
	}
	return false
}
