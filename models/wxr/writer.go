package wxr

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Writer writes a WXR 1.2 file the way WordPress does (text in CDATA), so
// WordPress's importer reads it: Begin, then Item for each item, then End.
type Writer struct {
	w   *bufio.Writer
	err error
}

// NewWriter writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriter(w)} }

func (w *Writer) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}

// Begin writes the head of the file: the channel, its authors and terms.
func (w *Writer) Begin(c *Channel) error {
	w.printf("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n")
	w.printf("<rss version=\"2.0\" xmlns:excerpt=%q xmlns:content=%q xmlns:wfw=%q xmlns:dc=%q xmlns:wp=%q>\n",
		NSExcerpt, NSContent, NSWfw, NSDC, NSWordPress)
	w.printf("<channel>\n")
	w.elem("title", c.Title, false)
	w.elem("link", c.Link, false)
	w.elem("description", c.Description, false)
	w.elem("language", c.Language, false)
	w.elem("wp:wxr_version", "1.2", false)
	w.elem("wp:base_site_url", c.BaseSiteURL, false)
	w.elem("wp:base_blog_url", c.BaseBlogURL, false)
	for _, a := range c.Authors {
		w.group("wp:author", text("wp:author_id", id(a.ID)), cd("wp:author_login", a.Login), cd("wp:author_email", a.Email),
			cd("wp:author_display_name", a.DisplayName), cd("wp:author_first_name", a.FirstName), cd("wp:author_last_name", a.LastName))
	}
	for _, t := range c.Categories {
		w.group("wp:category", text("wp:term_id", id(t.TermID)), cd("wp:category_nicename", t.Nicename),
			cd("wp:category_parent", t.Parent), cd("wp:cat_name", t.Name), cd("wp:category_description", t.Description))
	}
	for _, t := range c.Tags {
		w.group("wp:tag", text("wp:term_id", id(t.TermID)), cd("wp:tag_slug", t.Slug), cd("wp:tag_name", t.Name),
			cd("wp:tag_description", t.Description))
	}
	for _, t := range c.Terms {
		w.group("wp:term", text("wp:term_id", id(t.TermID)), cd("wp:term_taxonomy", t.Taxonomy), cd("wp:term_slug", t.Slug),
			cd("wp:term_parent", t.Parent), cd("wp:term_name", t.Name), cd("wp:term_description", t.Description))
	}
	w.elem("generator", "Crosstalk", false)
	return w.err
}

// Item writes one item.
func (w *Writer) Item(it *Item) error {
	w.printf("<item>\n")
	w.elem("title", it.Title, true)
	w.elem("link", it.Link, false)
	w.elem("pubDate", it.PubDate, false)
	w.elem("dc:creator", it.Creator, true)
	w.printf("<guid isPermaLink=\"false\">%s</guid>\n", escape(it.GUID))
	w.elem("description", it.Description, false)
	w.elem("content:encoded", it.Content, true)
	w.elem("excerpt:encoded", it.Excerpt, true)
	w.elem("wp:post_id", strconv.FormatInt(it.ID, 10), false)
	w.elem("wp:post_date", it.Date, true)
	w.elem("wp:post_date_gmt", it.DateGMT, true)
	w.elem("wp:post_modified", it.Modified, true)
	w.elem("wp:post_modified_gmt", it.ModifiedGMT, true)
	w.elem("wp:comment_status", it.CommentStatus, true)
	w.elem("wp:ping_status", it.PingStatus, true)
	w.elem("wp:post_name", it.Name, true)
	w.elem("wp:status", it.Status, true)
	w.elem("wp:post_parent", strconv.FormatInt(it.Parent, 10), false)
	w.elem("wp:menu_order", strconv.Itoa(it.MenuOrder), false)
	w.elem("wp:post_type", it.Type, true)
	w.elem("wp:post_password", it.Password, true)
	sticky := "0"
	if it.Sticky {
		sticky = "1"
	}
	w.elem("wp:is_sticky", sticky, false)
	if it.AttachmentURL != "" {
		w.elem("wp:attachment_url", it.AttachmentURL, true)
	}
	for _, t := range it.Terms {
		w.printf("<category domain=\"%s\" nicename=\"%s\">%s</category>\n", escape(t.Domain), escape(t.Nicename), cdata(t.Name))
	}
	for _, m := range it.Meta {
		w.group("wp:postmeta", cd("wp:meta_key", m.Key), cd("wp:meta_value", m.Value))
	}
	for i := range it.Comments {
		w.comment(&it.Comments[i])
	}
	w.printf("</item>\n")
	return w.err
}

func (w *Writer) comment(c *Comment) {
	w.printf("<wp:comment>\n")
	w.elem("wp:comment_id", strconv.FormatInt(c.ID, 10), false)
	w.elem("wp:comment_author", c.Author, true)
	w.elem("wp:comment_author_email", c.AuthorEmail, true)
	w.elem("wp:comment_author_url", c.AuthorURL, false)
	w.elem("wp:comment_author_IP", c.AuthorIP, true)
	w.elem("wp:comment_date", c.Date, true)
	w.elem("wp:comment_date_gmt", c.DateGMT, true)
	w.elem("wp:comment_content", c.Content, true)
	w.elem("wp:comment_approved", c.Approved, true)
	w.elem("wp:comment_type", c.Type, true)
	w.elem("wp:comment_parent", strconv.FormatInt(c.Parent, 10), false)
	w.elem("wp:comment_user_id", strconv.FormatInt(c.UserID, 10), false)
	for _, m := range c.Meta {
		w.group("wp:commentmeta", cd("wp:meta_key", m.Key), cd("wp:meta_value", m.Value))
	}
	w.printf("</wp:comment>\n")
}

// End closes the file and flushes it.
func (w *Writer) End() error {
	w.printf("</channel>\n</rss>\n")
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

// field is one element of a group: text escaped, or in CDATA.
type field struct {
	name, value string
	cdata       bool
}

func text(name, value string) field { return field{name, value, false} }

func cd(name, value string) field { return field{name, value, true} }

func id(n int64) string { return strconv.FormatInt(n, 10) }

// group writes <name> with fields inside.
func (w *Writer) group(name string, fields ...field) {
	w.printf("<%s>", name)
	for _, f := range fields {
		w.elem(f.name, f.value, f.cdata)
	}
	w.printf("</%s>\n", name)
}

func (w *Writer) elem(name, value string, asCDATA bool) {
	if asCDATA {
		w.printf("<%s>%s</%s>\n", name, cdata(value), name)
		return
	}
	w.printf("<%s>%s</%s>\n", name, escape(value), name)
}

// cdata wraps s in CDATA as WordPress does, splitting any "]]>" inside it
// and dropping characters XML cannot carry.
func cdata(s string) string {
	s = validXML(s)
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(validXML(s)))
	return b.String()
}

// validXML drops what XML 1.0 forbids (control characters, invalid UTF-8).
func validXML(s string) string {
	ok := true
	for _, r := range s {
		if !isXMLChar(r) {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !isXMLChar(r) {
			return -1
		}
		return r
	}, s)
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}
