package models

import (
	"strconv"
	"strings"
	"time"
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
	SettingCommentInterval = "discussion.comment_interval_seconds"
	SettingCommentBurst    = "discussion.comment_burst"
	SettingCommentsPerPost = "discussion.comments_per_post_per_minute"
	SettingNewestFirst     = "discussion.comments_newest_first"
	SettingRemoteImages    = "content.remote_images"
	SettingThreadDepth     = "discussion.thread_depth"
	SettingGravatar        = "discussion.gravatar"
	// SettingCommentSecret keys the hashes of commenters' emails (local
	// avatars) and of a pending comment's link for its author.
	SettingCommentSecret   = "secret.comment_key"
	SettingSessionHashKey  = "secret.session_hash_key"
	SettingSessionBlockKey = "secret.session_block_key"
	SettingFederation      = "fediverse.enabled"
	SettingBlogActorName   = "fediverse.blog_actor"
)

// MaxPingsCloseDays bounds "close pings after N days".
const MaxPingsCloseDays = 100000

// Ranges of the comment limits, as the settings page and the store accept them.
const (
	MaxCommentInterval = 86400 // a day
	MaxCommentBurst    = 100
	MaxCommentsPerPost = 10000
)

// CommentLimits bounds how fast readers may comment.
type CommentLimits struct {
	// IntervalSeconds is the time one address waits between comments
	// (WordPress's flood rule: 15 s); 0 turns the per-address limit off.
	IntervalSeconds int
	// Burst is how many comments an address may send at once before the
	// interval applies.
	Burst int
	// PerPostPerMinute is how many comments one post accepts per minute,
	// from every address together.
	PerPostPerMinute int
}

// DefaultCommentLimits is one comment per 15 s per address after a burst
// of 3, and 10 per minute per post.
func DefaultCommentLimits() CommentLimits {
	return CommentLimits{IntervalSeconds: 15, Burst: 3, PerPostPerMinute: 10}
}

// Validate checks the limits against their ranges; field names are the
// settings form's.
func (l CommentLimits) Validate() error {
	var ve ValidationError
	if l.IntervalSeconds < 0 || l.IntervalSeconds > MaxCommentInterval {
		ve.Add("comment_interval", "Use a whole number of seconds from 0 (no limit) to 86400.")
	}
	if l.Burst < 1 || l.Burst > MaxCommentBurst {
		ve.Add("comment_burst", "Use a number from 1 to 100.")
	}
	if l.PerPostPerMinute < 1 || l.PerPostPerMinute > MaxCommentsPerPost {
		ve.Add("comments_per_post", "Use a number from 1 to 10000.")
	}
	return ve.OrNil()
}

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
	// Comments limits how fast readers may comment.
	Comments CommentLimits
	// NewestFirst shows a post's comments newest first (page 1 holds the
	// newest CommentsPerPage); the default is oldest first, as WordPress.
	NewestFirst bool
	// RemoteImages lets posts show https: images from other sites (the
	// Content-Security-Policy's img-src follows it); off, they are links.
	RemoteImages bool
	// Timezone is the IANA name of the zone dates are shown and scheduled
	// in ("" is UTC); DateFormat one of DateFormats; Icon the site icon's
	// path ("" for the built-in one).
	Timezone   string
	DateFormat string
	Icon       string
	location   *time.Location
	// Federation puts the blog on the fediverse (ActivityPub): on by default.
	Federation bool
	// BlogActorName is the blog's fediverse user name: @NAME@host.
	BlogActorName string
	// ThreadDepth is how deep replies nest (WordPress's "nested comments
	// N levels deep"): 1 is flat, with no Reply links.
	ThreadDepth int
	// Gravatar shows Gravatar pictures instead of the locally generated
	// avatars; it sends a hash of each commenter's email to Gravatar's
	// readers' browsers, so it is off by default.
	Gravatar bool
	// SMTPSet says the settings name a mail server (the Email fieldset);
	// the server's URL itself stays out of Site, which every page gets.
	SMTPSet bool
}

// Thread depth: WordPress's default and its largest choice.
const (
	DefaultThreadDepth = 5
	MaxThreadDepth     = 10
)

// CommentsPerPage is how many comments a post page shows; more are on
// further pages (?cpage=2, …), as WordPress pages them.
const CommentsPerPage = 50

// DefaultSite is what a fresh blog starts with.
func DefaultSite() Site {
	return Site{Title: "Crosstalk", Tagline: "Another Crosstalk blog", PostsPerPage: 10,
		ModerateAll: true, PingsEnabled: true, Comments: DefaultCommentLimits(), DateFormat: DateFormats[0],
		Federation: true, BlogActorName: DefaultBlogActorName, ThreadDepth: DefaultThreadDepth}
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
	s.NewestFirst = boolSetting(m, SettingNewestFirst, s.NewestFirst)
	s.RemoteImages = boolSetting(m, SettingRemoteImages, s.RemoteImages)
	s.BlockList = ParseBlockList(m[SettingBlockList])
	s.Federation = boolSetting(m, SettingFederation, s.Federation)
	if v := m[SettingBlogActorName]; ValidActorName(v) {
		s.BlogActorName = v
	}
	s.ThreadDepth = intSetting(m, SettingThreadDepth, s.ThreadDepth, 1, MaxThreadDepth)
	s.Gravatar = boolSetting(m, SettingGravatar, s.Gravatar)
	s.SMTPSet = m[SettingSMTPURL] != ""
	s.Comments.IntervalSeconds = intSetting(m, SettingCommentInterval, s.Comments.IntervalSeconds, 0, MaxCommentInterval)
	s.Comments.Burst = intSetting(m, SettingCommentBurst, s.Comments.Burst, 1, MaxCommentBurst)
	s.Comments.PerPostPerMinute = intSetting(m, SettingCommentsPerPost, s.Comments.PerPostPerMinute, 1, MaxCommentsPerPost)
	s.readDisplay(m)
	return s
}

// Settings turns s back into raw settings for storage.
func (s Site) Settings() map[string]string {
	m := map[string]string{
		SettingTitle:           s.Title,
		SettingTagline:         s.Tagline,
		SettingPostsPerPage:    strconv.Itoa(s.PostsPerPage),
		SettingModerateAll:     strconv.FormatBool(s.ModerateAll),
		SettingPingsEnabled:    strconv.FormatBool(s.PingsEnabled),
		SettingPingsCloseDays:  strconv.Itoa(s.PingsCloseDays),
		SettingSelfPings:       strconv.FormatBool(s.SelfPings),
		SettingNewestFirst:     strconv.FormatBool(s.NewestFirst),
		SettingRemoteImages:    strconv.FormatBool(s.RemoteImages),
		SettingThreadDepth:     strconv.Itoa(s.ThreadDepth),
		SettingGravatar:        strconv.FormatBool(s.Gravatar),
		SettingBlockList:       strings.Join(s.BlockList, "\n"),
		SettingCommentInterval: strconv.Itoa(s.Comments.IntervalSeconds),
		SettingCommentBurst:    strconv.Itoa(s.Comments.Burst),
		SettingCommentsPerPost: strconv.Itoa(s.Comments.PerPostPerMinute),
		SettingFederation:      strconv.FormatBool(s.Federation),
		SettingBlogActorName:   s.BlogActorName,
	}
	s.displaySettings(m)
	return m
}

// DefaultBlogActorName is the blog's fediverse name until one is chosen.
const DefaultBlogActorName = "blog"

// ValidActorName reports a usable fediverse user name: 1 to 30 lower-case
// letters, digits, "_", "-" or ".", as Mastodon accepts them.
func ValidActorName(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	for _, r := range s {
		if !actorNameRune(r) {
			return false
		}
	}
	return true
}

func actorNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.'
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
