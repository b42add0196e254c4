package wpimport

import (
	"time"

	"github.com/crosstalk/crosstalk/models/wxr"
)

// siteZone is the old site's time zone, as far as the file tells it: the
// difference between an item's local and GMT dates (UTC if none has both).
func siteZone(items []wxr.Item) *time.Location {
	for _, it := range items {
		local, err1 := time.Parse(wxr.DateLayout, it.Date)
		gmt, err2 := time.Parse(wxr.DateLayout, it.DateGMT)
		if err1 == nil && err2 == nil && it.DateGMT != wxr.ZeroDate {
			off := int(local.Sub(gmt).Seconds())
			if off == 0 {
				return time.UTC
			}
			return time.FixedZone("site", off)
		}
	}
	return time.UTC
}

// date reads a WordPress date: the GMT one is the truth; WordPress writes
// 0000-00-00 00:00:00 for drafts' GMT date, when the local one counts, in
// the site's zone; failing both, now.
func (im *importer) date(local, gmt string) (time.Time, bool) {
	if t, err := time.Parse(wxr.DateLayout, gmt); err == nil && gmt != wxr.ZeroDate {
		return t.UTC(), true
	}
	if t, err := time.ParseInLocation(wxr.DateLayout, local, im.tz); err == nil && local != wxr.ZeroDate {
		return t.UTC(), true
	}
	return im.now, false
}
