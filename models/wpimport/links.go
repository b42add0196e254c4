package wpimport

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/crosstalk/crosstalk/models"
)

// localURL maps an address on the old site to its local one: an upload to
// its media file, a post's old permalink or ?p=N / ?page_id=N to its new
// permalink. "" keeps the address (another site's, or one not imported).
func (im *importer) localURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	if u.Host != "" && !im.hosts[hostKey(u.Host)] || u.Host == "" && !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	if strings.Contains(u.Path, uploadsDir) {
		return im.upload(u)
	}
	if p, ok := im.media[strings.TrimPrefix(u.Path, "/")]; ok {
		return p
	}
	frag := ""
	if u.Fragment != "" {
		frag = "#" + u.EscapedFragment()
	}
	q := u.Query()
	for _, k := range []string{"p", "page_id"} {
		if n, err := strconv.ParseInt(q.Get(k), 10, 64); err == nil {
			if p := im.posts[n]; p != nil && p.Slug != "" {
				return p.Path() + frag
			}
		}
	}
	if p, ok := im.oldPaths[models.CleanOldPath(u.Path)]; ok && u.Path != "" {
		return p + frag
	}
	return ""
}
