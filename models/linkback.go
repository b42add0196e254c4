package models

import (
	"net"
	"net/netip"
	"strings"
	"time"
)

// AcceptsPings reports whether a post takes TrackBacks now: the site receives
// them, the post is published and open to pings, and it is not older than
// the site's "close pings after N days".
func (p *Post) AcceptsPings(site Site, now time.Time) bool {
	if !site.PingsEnabled || !p.AllowPings || !p.IsPublic() {
		return false
	}
	if site.PingsCloseDays > 0 && p.PublishedAt != nil &&
		now.Sub(*p.PublishedAt) > time.Duration(site.PingsCloseDays)*24*time.Hour {
		return false
	}
	return true
}

// Blocked reports whether a linkback from host (the source URL's host) or
// from clientIP is on the block list. A domain blocks its subdomains too; an
// entry with a slash is an address range.
func (s Site) Blocked(host, clientIP string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	for _, entry := range s.BlockList {
		if strings.Contains(entry, "/") {
			prefix, err := netip.ParsePrefix(entry)
			if err == nil && (inPrefix(prefix, clientIP) || inPrefix(prefix, host)) {
				return true
			}
			continue
		}
		if entry == clientIP || entry == host || strings.HasSuffix(host, "."+entry) {
			return true
		}
	}
	return false
}

func inPrefix(prefix netip.Prefix, addr string) bool {
	ip, err := netip.ParseAddr(addr)
	return err == nil && prefix.Contains(ip.Unmap())
}
