package models

import (
	"strings"
	"testing"
	"time"
)

func TestAcceptsPings(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	old := now.AddDate(0, 0, -40)
	recent := now.AddDate(0, 0, -3)
	open := DefaultSite()
	closing := DefaultSite()
	closing.PingsCloseDays = 30
	off := DefaultSite()
	off.PingsEnabled = false
	tests := []struct {
		name string
		post Post
		site Site
		want bool
	}{
		{"open", Post{Kind: KindPost, Status: StatusPublished, AllowPings: true, PublishedAt: &old}, open, true},
		{"a page", Post{Kind: KindPage, Status: StatusPublished, AllowPings: true, PublishedAt: &old}, open, false},
		{"pings off on post", Post{Status: StatusPublished, PublishedAt: &old}, open, false},
		{"draft", Post{Status: StatusDraft, AllowPings: true}, open, false},
		{"site switch off", Post{Status: StatusPublished, AllowPings: true, PublishedAt: &recent}, off, false},
		{"older than N days", Post{Status: StatusPublished, AllowPings: true, PublishedAt: &old}, closing, false},
		{"younger than N days", Post{Kind: KindPost, Status: StatusPublished, AllowPings: true, PublishedAt: &recent}, closing, true},
	}
	for _, tt := range tests {
		if got := tt.post.AcceptsPings(tt.site, now); got != tt.want {
			t.Errorf("%s: AcceptsPings = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBlocked(t *testing.T) {
	site := Site{BlockList: ParseBlockList("spam.example\n192.0.2.7\n198.51.100.0/24\nbücher.example\nXN--MNCHEN-3YA.example\nｅｖｉｌ。example")}
	if !(Site{BlockList: []string{"10.9.9.9"}}).Blocked("[::ffff:10.9.9.9]", "203.0.113.1") {
		t.Error("an IPv4-mapped host slipped past its IPv4 entry")
	}
	tests := []struct {
		host, ip string
		want     bool
	}{
		{"spam.example", "203.0.113.1", true},
		{"www.spam.example", "203.0.113.1", true},
		{"SPAM.example.", "203.0.113.1", true},
		{"notspam.example", "203.0.113.1", false},
		{"good.example", "192.0.2.7", true},
		{"good.example", "198.51.100.42", true},
		{"198.51.100.9", "203.0.113.1", true},
		{"www.spam.example.", "203.0.113.1", true},
		{"::ffff:192.0.2.7", "203.0.113.1", true},
		{"good.example", "::ffff:192.0.2.7", true},
		{"good.example", "203.0.113.1", false},
		// Look-alike spellings of blocked names (UTS-46 mapping).
		{"ｓｐａｍ.example", "203.0.113.1", true},
		{"spam。example", "203.0.113.1", true},
		{"www.spam．example", "203.0.113.1", true},
		{"spam.example。", "203.0.113.1", true},
		{"xn--bcher-kva.example", "203.0.113.1", true},
		{"BÜCHER.example", "203.0.113.1", true},
		{"shop.bücher.example", "203.0.113.1", true},
		{"münchen.example", "203.0.113.1", true},
		{"evil.example", "203.0.113.1", true},
		{"buecher.example", "203.0.113.1", false},
		{"xn--zz.example", "203.0.113.1", false},
	}
	for _, tt := range tests {
		if got := site.Blocked(tt.host, tt.ip); got != tt.want {
			t.Errorf("Blocked(%q, %q) = %v, want %v", tt.host, tt.ip, got, tt.want)
		}
	}
}

func FuzzDomainKey(f *testing.F) {
	for _, s := range []string{"ｓｐａｍ.example", "spam。example", "xn--bcher-kva.example", "BÜCHER.example.", "xn--zz", "", "[::1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		key := DomainKey(host)
		if again := DomainKey(key); again != key {
			t.Errorf("DomainKey not stable: %q -> %q -> %q", host, key, again)
		}
		if strings.HasSuffix(key, ".") {
			t.Errorf("trailing dot kept: %q -> %q", host, key)
		}
	})
}
