package wxr

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
)

// Error is a file that cannot be read, with the line where reading stopped.
type Error struct {
	Line int
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("wxr: line %d: %v", e.Line, e.Err) }

func (e *Error) Unwrap() error { return e.Err }

// ErrNotWXR is a well-formed file that is not a WordPress export.
var ErrNotWXR = errors.New("not a WordPress export (WXR): the root element is not <rss>")

// Reader reads a WXR file item by item, so a large export is never held
// whole; the channel's authors and terms, which WordPress writes before the
// items, are collected as they pass.
type Reader struct {
	d       *xml.Decoder
	channel Channel
	started bool
	done    bool
}

// NewReader reads from r.
func NewReader(r io.Reader) *Reader {
	d := xml.NewDecoder(r)
	// WordPress writes named HTML entities now and then outside CDATA.
	d.Entity = xml.HTMLEntity
	d.Strict = true
	return &Reader{d: d}
}

// Channel is the file's head as read so far (complete once the first item
// has been returned, in files WordPress writes).
func (r *Reader) Channel() *Channel { return &r.channel }

// Parse reads a whole file.
func Parse(in io.Reader) (*Document, error) {
	r := NewReader(in)
	doc := &Document{}
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			doc.Channel = r.channel
			return doc, nil
		}
		if err != nil {
			return nil, err
		}
		doc.Items = append(doc.Items, *it)
	}
}

func (r *Reader) fail(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" {
			msg = "the file ends in the middle of an element: it is truncated"
		}
		return &Error{Line: se.Line, Err: errors.New(msg)}
	}
	line, _ := r.d.InputPos()
	return &Error{Line: line, Err: err}
}

// Next returns the next item, or io.EOF after the file's last element. A
// file that ends early (truncated) or is not well-formed is an *Error with
// the line.
func (r *Reader) Next() (*Item, error) {
	for {
		tok, err := r.d.Token()
		if errors.Is(err, io.EOF) {
			if !r.done {
				return nil, r.fail(errors.New("the file ends before </rss>: it is truncated"))
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if r.done {
				return nil, r.fail(errors.New("content after </rss>"))
			}
			if !r.started {
				if t.Name.Local != "rss" {
					return nil, r.fail(ErrNotWXR)
				}
				r.started = true
				continue
			}
			it, err := r.element(t)
			if err != nil {
				return nil, r.fail(err)
			}
			if it != nil {
				return it, nil
			}
		case xml.EndElement:
			if t.Name.Local == "rss" {
				r.done = true
			}
		case xml.CharData:
			if !r.started && strings.TrimSpace(string(t)) != "" {
				return nil, r.fail(ErrNotWXR)
			}
		}
	}
}

// element reads one element below <rss>: the channel's own fields are kept,
// an item is returned, anything else is skipped.
func (r *Reader) element(t xml.StartElement) (*Item, error) {
	c := &r.channel
	switch t.Name.Local {
	case "channel":
		return nil, nil // descend: its children come as tokens
	case "item":
		line, _ := r.d.InputPos()
		return r.item(t, line)
	case "author":
		return nil, decodeTo(r.d, &t, &c.Authors, func(a Author) Author {
			return Author{ID: a.ID, Login: trim(a.Login), Email: trim(a.Email), DisplayName: trim(a.DisplayName),
				FirstName: trim(a.FirstName), LastName: trim(a.LastName)}
		})
	case "category":
		return nil, decodeTo(r.d, &t, &c.Categories, func(v Category) Category {
			return Category{TermID: v.TermID, Nicename: trim(v.Nicename), Parent: trim(v.Parent), Name: trim(v.Name),
				Description: trim(v.Description)}
		})
	case "tag":
		return nil, decodeTo(r.d, &t, &c.Tags, func(v Tag) Tag {
			return Tag{TermID: v.TermID, Slug: trim(v.Slug), Name: trim(v.Name), Description: trim(v.Description)}
		})
	case "term":
		return nil, decodeTo(r.d, &t, &c.Terms, func(v Term) Term {
			return Term{TermID: v.TermID, Taxonomy: trim(v.Taxonomy), Slug: trim(v.Slug), Parent: trim(v.Parent),
				Name: trim(v.Name), Description: trim(v.Description)}
		})
	}
	s, ok := map[string]*string{"title": &c.Title, "link": &c.Link, "description": &c.Description,
		"language": &c.Language, "wxr_version": &c.WXRVersion, "base_site_url": &c.BaseSiteURL,
		"base_blog_url": &c.BaseBlogURL}[t.Name.Local]
	if !ok {
		return nil, r.d.Skip()
	}
	var v string
	if err := r.d.DecodeElement(&v, &t); err != nil {
		return nil, err
	}
	*s = trim(v)
	return nil, nil
}

// decodeTo reads the element t into a T and appends it, tidied, to list.
func decodeTo[T any](d *xml.Decoder, t *xml.StartElement, list *[]T, tidy func(T) T) error {
	var v T
	if err := d.DecodeElement(&v, t); err != nil {
		return err
	}
	*list = append(*list, tidy(v))
	return nil
}

// rawItem is an item as encoding/xml fills it; numbers are read as text so
// that white space around them is forgiven.
type rawItem struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	PubDate       string     `xml:"pubDate"`
	Creator       string     `xml:"creator"`
	GUID          string     `xml:"guid"`
	Description   string     `xml:"description"`
	Encoded       []encoded  `xml:"encoded"`
	ID            string     `xml:"post_id"`
	Date          string     `xml:"post_date"`
	DateGMT       string     `xml:"post_date_gmt"`
	Modified      string     `xml:"post_modified"`
	ModifiedGMT   string     `xml:"post_modified_gmt"`
	CommentStatus string     `xml:"comment_status"`
	PingStatus    string     `xml:"ping_status"`
	Name          string     `xml:"post_name"`
	Status        string     `xml:"status"`
	Parent        string     `xml:"post_parent"`
	MenuOrder     string     `xml:"menu_order"`
	Type          string     `xml:"post_type"`
	Password      string     `xml:"post_password"`
	Sticky        string     `xml:"is_sticky"`
	AttachmentURL string     `xml:"attachment_url"`
	Terms         []ItemTerm `xml:"category"`
	Meta          []Meta     `xml:"postmeta"`
	Comments      []Comment  `xml:"comment"`
}

type encoded struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

func (r *Reader) item(t xml.StartElement, line int) (*Item, error) {
	var raw rawItem
	if err := r.d.DecodeElement(&raw, &t); err != nil {
		return nil, err
	}
	it := &Item{
		Title: trim(raw.Title), Link: trim(raw.Link), PubDate: trim(raw.PubDate), Creator: trim(raw.Creator),
		GUID: trim(raw.GUID), Description: raw.Description, Date: trim(raw.Date), DateGMT: trim(raw.DateGMT),
		Modified: trim(raw.Modified), ModifiedGMT: trim(raw.ModifiedGMT), CommentStatus: trim(raw.CommentStatus),
		PingStatus: trim(raw.PingStatus), Name: trim(raw.Name), Status: trim(raw.Status), Type: trim(raw.Type),
		Password: raw.Password, Sticky: trim(raw.Sticky) == "1", AttachmentURL: trim(raw.AttachmentURL),
		Meta: raw.Meta, Line: line,
	}
	for _, e := range raw.Encoded {
		if strings.Contains(e.XMLName.Space, "excerpt") {
			it.Excerpt = e.Value
		} else {
			it.Content = e.Value
		}
	}
	var err error
	if it.ID, err = number("wp:post_id", raw.ID); err != nil {
		return nil, err
	}
	if it.Parent, err = number("wp:post_parent", raw.Parent); err != nil {
		return nil, err
	}
	order, err := number("wp:menu_order", raw.MenuOrder)
	if err != nil {
		return nil, err
	}
	it.MenuOrder = int(order)
	for _, tm := range raw.Terms {
		it.Terms = append(it.Terms, ItemTerm{Domain: trim(tm.Domain), Nicename: trim(tm.Nicename), Name: trim(tm.Name)})
	}
	for i := range it.Meta {
		it.Meta[i].Key = trim(it.Meta[i].Key)
	}
	for _, c := range raw.Comments {
		c.Author, c.AuthorEmail, c.AuthorURL = trim(c.Author), trim(c.AuthorEmail), trim(c.AuthorURL)
		c.AuthorIP, c.Date, c.DateGMT = trim(c.AuthorIP), trim(c.Date), trim(c.DateGMT)
		c.Approved, c.Type = trim(c.Approved), trim(c.Type)
		it.Comments = append(it.Comments, c)
	}
	return it, nil
}

// number reads a whole number WordPress wrote; empty is zero.
func number(field, s string) (int64, error) {
	s = trim(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s is %q, not a whole number", field, truncate(s, 40))
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Unescape decodes the HTML entities WordPress leaves in titles and term
// names, once: "Café &amp;amp; Küche" keeps one "&amp;".
func Unescape(s string) string { return html.UnescapeString(s) }
