package models

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// AcceptsPings reports whether a post takes TrackBacks now: the site receives
// them, it is a published post (pages take none) open to pings, and it is
// not older than the site's "close pings after N days".
func (p *Post) AcceptsPings(site Site, now time.Time) bool {
	if !site.PingsEnabled || !p.AllowPings || !p.IsPublic() || p.Kind != KindPost {
		return false
	}
	if site.PingsCloseDays > 0 && p.PublishedAt != nil &&
		now.Sub(*p.PublishedAt) > time.Duration(site.PingsCloseDays)*24*time.Hour {
		return false
	}
	return true
}

// Blocked reports whether a linkback from host (the source URL's host name,
// without port) or from clientIP is on the block list. A domain blocks its
// subdomains too, and names are compared after IDNA mapping, so case,
// fullwidth letters, ideographic full stops, a trailing dot, and Unicode or
// punycode spellings of one name are one name. An address matches in any
// notation (IPv4-mapped too); an entry with a slash is an address range.
func (s Site) Blocked(host, clientIP string) bool {
	host = DomainKey(strings.Trim(host, "[]"))
	hostIP, hostErr := netip.ParseAddr(host)
	peerIP, peerErr := netip.ParseAddr(clientIP)
	for _, entry := range s.BlockList {
		if prefix, err := netip.ParsePrefix(entry); err == nil {
			if (hostErr == nil && prefix.Contains(hostIP.Unmap())) || (peerErr == nil && prefix.Contains(peerIP.Unmap())) {
				return true
			}
			continue
		}
		if addr, err := netip.ParseAddr(entry); err == nil {
			if (hostErr == nil && addr.Unmap() == hostIP.Unmap()) || (peerErr == nil && addr.Unmap() == peerIP.Unmap()) {
				return true
			}
			continue
		}
		entry = DomainKey(entry)
		if entry == host || strings.HasSuffix(host, "."+entry) {
			return true
		}
	}
	return false
}

// ApprovedSites knows which sites' linkbacks the owner approved before.
type ApprovedSites interface {
	// ApprovedFromSite reports whether a verified linkback from the same
	// scheme and host was approved before.
	ApprovedFromSite(ctx context.Context, sourceURL string) (bool, error)
}

// AutoApprove is the rule for a verified linkback: live at once unless the
// site holds everything for moderation and the source's site was never
// approved before.
func (s Site) AutoApprove(ctx context.Context, sites ApprovedSites, sourceURL string) (bool, error) {
	if !s.ModerateAll {
		return true, nil
	}
	return sites.ApprovedFromSite(ctx, sourceURL)
}

// TruncateUTF8 cuts s to at most n bytes without splitting a character.
func TruncateUTF8(s string, n int) string { return truncateUTF8(s, n) }

// DomainKey is the form of a host name to compare: mapped as UTS-46 asks for
// look-ups (lower case, fullwidth forms and the ideographic full stops to
// ASCII), in punycode, without trailing dots. A name IDNA refuses keeps
// its mapped, lower-cased form.
func DomainKey(host string) string {
	mapped, err := idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false)).ToASCII(host)
	if err != nil && mapped == "" {
		mapped = host
	}
	return strings.TrimRight(strings.ToLower(mapped), ".")
}
