package models

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// PostKind separates dated posts (in the feed and archives) from standalone pages.
type PostKind string

// Post kinds.
const (
	KindPost PostKind = "post"
	KindPage PostKind = "page"
)

// PostStatus is where a post is in its life.
type PostStatus string

// Post statuses. A scheduled post becomes published when its time comes.
const (
	StatusDraft     PostStatus = "draft"
	StatusScheduled PostStatus = "scheduled"
	StatusPublished PostStatus = "published"
	StatusPrivate   PostStatus = "private"
	// StatusPending is a contributor's post submitted for review.
	StatusPending PostStatus = "pending"
	// StatusTrash is a deleted post that can still be restored;
	// StatusBeforeTrash remembers what it was.
	StatusTrash PostStatus = "trash"
)

// Limits on what a writer can store.
const (
	MaxTitleLen   = 250
	MaxSlugLen    = 200
	MaxExcerptLen = 1000
	MaxBodyLen    = 1 << 20
)

// reservedSlugs are first path segments the router owns, so a page cannot take them.
var reservedSlugs = map[string]bool{
	"admin": true, "assets": true, "feed": true, "tag": true, "trackback": true,
	"login": true, "logout": true, "setup": true, "media": true, "xmlrpc": true,
	"webmention": true, "comments": true, "rsd.xml": true, "page": true,
	"category": true, "author": true, "search": true, "sitemaps": true,
}

// Post is a blog post or a page. Body is the writer's Markdown; BodyHTML is its
// sanitised rendering, made when the post is saved so page views only read it.
type Post struct {
	ID            int64
	Kind          PostKind
	AuthorID      int64
	Title         string
	Slug          string
	Body          string
	BodyHTML      string `gorm:"column:body_html"`
	Excerpt       string
	Status        PostStatus
	AllowComments bool
	AllowPings    bool
	PublishedAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// PingURLs are TrackBack URLs to ping directly on publish, one per line.
	PingURLs string `gorm:"column:ping_urls"`
	// SkipLinks are links in the post the writer chose not to notify, one per line.
	SkipLinks string
	// ParentID and MenuOrder place a page in the page tree and the menu;
	// HideFromMenu leaves a published page out of the header menu.
	ParentID     *int64
	MenuOrder    int
	HideFromMenu bool
	// Password, when set, hides the body from readers who have not entered
	// it (WordPress's post password, kept as WordPress keeps it so that an
	// export round-trips).
	Password          string
	TrashedAt         *time.Time
	StatusBeforeTrash PostStatus
	// NoFederate keeps the post off the fediverse.
	NoFederate      bool
	FeaturedMediaID *int64

	Tags       []Tag      `gorm:"-"`
	Categories []Category `gorm:"-"`
}

// Category is a node of the blog's category tree; posts carry any number.
type Category struct {
	ID          int64
	Name        string
	Slug        string
	ParentID    *int64
	Description string
}

// PostCategory joins a post to a category.
type PostCategory struct {
	PostID     int64 `gorm:"primaryKey"`
	CategoryID int64 `gorm:"primaryKey"`
}

// IsPublic reports whether readers may see the post.
func (p *Post) IsPublic() bool { return p.Status == StatusPublished }

// Path is the post's permalink path: /YYYY/MM/slug for posts, /slug for pages.
func (p *Post) Path() string {
	if p.Kind == KindPage {
		return "/" + url.PathEscape(p.Slug)
	}
	t := p.CreatedAt
	if p.PublishedAt != nil {
		t = *p.PublishedAt
	}
	t = t.UTC()
	return fmt.Sprintf("/%04d/%02d/%s", t.Year(), int(t.Month()), url.PathEscape(p.Slug))
}

// Validate checks a post before it is stored.
func (p *Post) Validate() error {
	var ve ValidationError
	switch {
	case strings.TrimSpace(p.Title) == "":
		ve.Add("title", "A title is required.")
	case len([]rune(p.Title)) > MaxTitleLen:
		ve.Add("title", fmt.Sprintf("The title is longer than %d characters.", MaxTitleLen))
	}
	slug := p.Slug
	if p.Status == StatusTrash { // renamed by the trash: slug__trashed
		slug = SlugBeforeTrash(slug)
	}
	switch {
	case slug == "":
		ve.Add("slug", "The slug is empty: use letters or digits.")
	case slug != Slugify(slug):
		ve.Add("slug", "Use lower-case letters, digits and hyphens only.")
	case len(slug) > MaxSlugLen:
		ve.Add("slug", fmt.Sprintf("The slug is longer than %d characters.", MaxSlugLen))
	case p.Kind == KindPage && reservedSlugs[slug]:
		ve.Add("slug", fmt.Sprintf("%q is used by the blog itself; choose another slug.", slug))
	}
	if len(p.Body) > MaxBodyLen {
		ve.Add("body", "The text is larger than 1 MiB.")
	}
	if len([]rune(p.Excerpt)) > MaxExcerptLen {
		ve.Add("excerpt", fmt.Sprintf("The excerpt is longer than %d characters.", MaxExcerptLen))
	}
	for _, u := range strings.Fields(p.PingURLs) {
		if !validPingURL(u) {
			ve.Add("ping_urls", fmt.Sprintf("%q is not an http or https address.", truncateUTF8(u, 80)))
			break
		}
	}
	if p.Kind != KindPost && p.Kind != KindPage {
		ve.Add("kind", "Unknown kind.")
	}
	if p.PublishedAt != nil && (p.PublishedAt.Year() < 1000 || p.PublishedAt.Year() > 9999) {
		ve.Add("published_at", "Use a date between the years 1000 and 9999.")
	}
	switch p.Status {
	case StatusDraft, StatusPublished, StatusPrivate, StatusPending, StatusTrash:
	case StatusScheduled:
		if p.PublishedAt == nil {
			ve.Add("published_at", "Choose when the post should go live.")
		}
	default:
		ve.Add("status", "Unknown status.")
	}
	return ve.OrNil()
}

// MsgSlugTaken refuses a slug another post has.
const MsgSlugTaken = "Another post already uses this slug."

// UniqueTags tidies tag names (inner spaces collapsed) and drops repeats
// (the same slug) and names without a letter or digit.
func UniqueTags(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range names {
		name = strings.Join(strings.Fields(name), " ")
		slug := Slugify(name)
		if slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		out = append(out, name)
	}
	return out
}

// Tag groups posts; its slug names its page and feed.
type Tag struct {
	ID   int64
	Name string
	Slug string
}

// SlugRedirect remembers a post's old slug so old links keep working.
type SlugRedirect struct {
	OldSlug string `gorm:"primaryKey"`
	PostID  int64
}

// PostTag links posts and tags.
type PostTag struct {
	PostID int64 `gorm:"primaryKey"`
	TagID  int64 `gorm:"primaryKey"`
}

// MonthCount is one line of the monthly archive list.
type MonthCount struct {
	Year  int
	Month int
	Count int
}
