// Package wxr reads and writes WordPress eXtended RSS (WXR 1.2), the file
// WordPress's Tools → Export writes and its importer reads. It knows the
// format only: the text is returned as the file has it (WordPress keeps
// titles and term names HTML-escaped; Unescape decodes them once). It is
// free of gin, gorm and the blog's models.
package wxr

import "strings"

// Namespaces of WXR 1.2.
const (
	NSWordPress = "http://wordpress.org/export/1.2/"
	NSExcerpt   = "http://wordpress.org/export/1.2/excerpt/"
	NSContent   = "http://purl.org/rss/1.0/modules/content/"
	NSWfw       = "http://wellformedweb.org/CommentAPI/"
	NSDC        = "http://purl.org/dc/elements/1.1/"
)

// DateLayout is how WordPress writes wp:post_date and its kin.
const DateLayout = "2006-01-02 15:04:05"

// ZeroDate is what WordPress writes for a date it has not set (drafts'
// post_date_gmt).
const ZeroDate = "0000-00-00 00:00:00"

// Channel is the file's head: the site and its authors and terms.
type Channel struct {
	Title       string
	Link        string
	Description string
	Language    string
	WXRVersion  string
	BaseSiteURL string
	BaseBlogURL string
	Authors     []Author
	Categories  []Category
	Tags        []Tag
	Terms       []Term
}

// Author is a wp:author.
type Author struct {
	ID          int64  `xml:"author_id"`
	Login       string `xml:"author_login"`
	Email       string `xml:"author_email"`
	DisplayName string `xml:"author_display_name"`
	FirstName   string `xml:"author_first_name"`
	LastName    string `xml:"author_last_name"`
}

// Category is a wp:category; Parent is the parent's nicename.
type Category struct {
	TermID      int64  `xml:"term_id"`
	Nicename    string `xml:"category_nicename"`
	Parent      string `xml:"category_parent"`
	Name        string `xml:"cat_name"`
	Description string `xml:"category_description"`
}

// Tag is a wp:tag.
type Tag struct {
	TermID      int64  `xml:"term_id"`
	Slug        string `xml:"tag_slug"`
	Name        string `xml:"tag_name"`
	Description string `xml:"tag_description"`
}

// Term is a wp:term (WordPress 4.x+ repeats categories and tags as terms).
type Term struct {
	TermID      int64  `xml:"term_id"`
	Taxonomy    string `xml:"term_taxonomy"`
	Slug        string `xml:"term_slug"`
	Parent      string `xml:"term_parent"`
	Name        string `xml:"term_name"`
	Description string `xml:"term_description"`
}

// Item is a post, page, attachment or any other post type.
type Item struct {
	Title         string
	Link          string
	PubDate       string
	Creator       string
	GUID          string
	Description   string
	Content       string
	Excerpt       string
	ID            int64
	Date          string
	DateGMT       string
	Modified      string
	ModifiedGMT   string
	CommentStatus string
	PingStatus    string
	Name          string
	Status        string
	Parent        int64
	MenuOrder     int
	Type          string
	Password      string
	Sticky        bool
	AttachmentURL string
	Terms         []ItemTerm
	Meta          []Meta
	Comments      []Comment
	Line          int // where the item starts in the file
}

// ItemTerm is an item's <category domain="…" nicename="…">Name</category>.
type ItemTerm struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

// Meta is a wp:postmeta or wp:commentmeta pair.
type Meta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

// Comment is a wp:comment: a comment, trackback or pingback.
type Comment struct {
	ID          int64  `xml:"comment_id"`
	Author      string `xml:"comment_author"`
	AuthorEmail string `xml:"comment_author_email"`
	AuthorURL   string `xml:"comment_author_url"`
	AuthorIP    string `xml:"comment_author_IP"`
	Date        string `xml:"comment_date"`
	DateGMT     string `xml:"comment_date_gmt"`
	Content     string `xml:"comment_content"`
	Approved    string `xml:"comment_approved"`
	Type        string `xml:"comment_type"`
	Parent      int64  `xml:"comment_parent"`
	UserID      int64  `xml:"comment_user_id"`
	Meta        []Meta `xml:"commentmeta"`
}

// MetaValue returns the first value of key, or "".
func (it *Item) MetaValue(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// MetaValues returns every value of key, in file order.
func (it *Item) MetaValues(key string) []string {
	var out []string
	for _, m := range it.Meta {
		if m.Key == key {
			out = append(out, m.Value)
		}
	}
	return out
}

// Document is a whole file, read into memory.
type Document struct {
	Channel Channel
	Items   []Item
}

// trim drops the white space WordPress puts around values.
func trim(s string) string { return strings.TrimSpace(s) }
