package activitypub

import (
	"mime"
	"strconv"
	"strings"
)

// WantsJSON reports whether an Accept header asks for an ActivityStreams
// document: application/activity+json, or application/ld+json with the
// ActivityStreams profile (or none), with a quality above zero and at least
// that of text/html. Mastodon sends both types first and text/html at 0.1;
// a browser names text/html and at most */*, and gets the page.
func WantsJSON(accept string) bool {
	best, html := -1.0, -1.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch mt {
		case "application/activity+json":
		case "application/ld+json":
			if p, ok := params["profile"]; ok && !strings.Contains(p, ASContext) {
				continue
			}
		case "text/html", "application/xhtml+xml":
			html = max(html, q)
			continue
		default:
			continue
		}
		best = max(best, q)
	}
	return best > 0 && best >= html
}
