package models

import (
	"strconv"
	"strings"
)

// Setting keys kept in the settings table.
const (
	SettingTitle           = "site.title"
	SettingTagline         = "site.tagline"
	SettingPostsPerPage    = "site.posts_per_page"
	SettingModerateAll     = "discussion.moderate"
	SettingPingsEnabled    = "pings.enabled"
	SettingPingsCloseDays  = "pings.close_after_days"
	SettingBlockList       = "pings.block_list"
	SettingSelfPings       = "pings.self"
	SettingSessionHashKey  = "secret.session_hash_key"
	SettingSessionBlockKey = "secret.session_block_key"
)

// MaxPingsCloseDays bounds "close pings after N days".
const MaxPingsCloseDays = 100000

// Site is the typed view of the settings a page or a handler needs.
type Site struct {
	Title        string
	Tagline      string
	PostsPerPage int
	// ModerateAll holds every comment and ping for approval (the default).
	ModerateAll bool
	// PingsEnabled turns TrackBack receiving on for the whole site.
	PingsEnabled bool
	// PingsCloseDays closes pings on posts older than this many days; 0 never.
	PingsCloseDays int
	// BlockList holds domains and IP addresses whose pings are refused.
	BlockList []string
	// SelfPings lets the blog ping its own posts.
	SelfPings bool
}

// DefaultSite is what a fresh blog starts with.
func DefaultSite() Site {
	return Site{Title: "Crosstalk", Tagline: "Another Crosstalk blog", PostsPerPage: 10,
		ModerateAll: true, PingsEnabled: true}
}

// SiteFromSettings reads a Site from raw settings, with defaults for missing keys.
func SiteFromSettings(m map[string]string) Site {
	s := DefaultSite()
	if v, ok := m[SettingTitle]; ok {
		s.Title = v
	}
	if v, ok := m[SettingTagline]; ok {
		s.Tagline = v
	}
	s.PostsPerPage = intSetting(m, SettingPostsPerPage, s.PostsPerPage, 1, 100)
	s.ModerateAll = boolSetting(m, SettingModerateAll, s.ModerateAll)
	s.PingsEnabled = boolSetting(m, SettingPingsEnabled, s.PingsEnabled)
	s.PingsCloseDays = intSetting(m, SettingPingsCloseDays, 0, 0, MaxPingsCloseDays)
	s.SelfPings = boolSetting(m, SettingSelfPings, s.SelfPings)
	s.BlockList = ParseBlockList(m[SettingBlockList])
	return s
}

// Settings turns s back into raw settings for storage.
func (s Site) Settings() map[string]string {
	return map[string]string{
		SettingTitle:          s.Title,
		SettingTagline:        s.Tagline,
		SettingPostsPerPage:   strconv.Itoa(s.PostsPerPage),
		SettingModerateAll:    strconv.FormatBool(s.ModerateAll),
		SettingPingsEnabled:   strconv.FormatBool(s.PingsEnabled),
		SettingPingsCloseDays: strconv.Itoa(s.PingsCloseDays),
		SettingSelfPings:      strconv.FormatBool(s.SelfPings),
		SettingBlockList:      strings.Join(s.BlockList, "\n"),
	}
}

// ParseBlockList reads one domain or IP address per line (commas and spaces
// also separate), lower-cased, without blanks or repeats.
func ParseBlockList(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ' ' || r == '\t'
	}) {
		f = strings.ToLower(strings.TrimSpace(f))
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

func intSetting(m map[string]string, key string, def, lo, hi int) int {
	n, err := strconv.Atoi(m[key])
	if err != nil || n < lo || n > hi {
		return def
	}
	return n
}

func boolSetting(m map[string]string, key string, def bool) bool {
	b, err := strconv.ParseBool(m[key])
	if err != nil {
		return def
	}
	return b
}
