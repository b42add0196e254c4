package handlers

import (
	"bytes"
	"encoding/xml"
	"html"
	"strings"
	"time"
)

// feedChannel is a feed independent of its format: rss and atom write it.
// Every string is text as stored; the writers remove what XML 1.0 cannot
// carry and escape the rest, HTML-escaping plain text first where the
// element holds HTML.
type feedChannel struct {
	Title       string // plain text
	Link        string // the HTML page the feed mirrors
	Self        string // the feed's own URL
	Description string // plain text
	Author      string // plain text: the feed's author name
	Updated     time.Time
	TagScheme   string // prefix of a tag's page URL: TagScheme+slug
	Items       []feedItem
}

type feedItem struct {
	Title       string // plain text
	Link        string // the permalink, also the item's id
	Summary     string // plain text
	ContentHTML string // sanitised HTML
	Published   time.Time
	Updated     time.Time
	Tags        []feedTag
}

type feedTag struct{ Name, Slug string }

// xmlText removes what XML 1.0 cannot carry: control characters other than
// tab, newline and carriage return, surrogates, U+FFFE and U+FFFF; invalid
// UTF-8 becomes U+FFFD.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
			r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return -1
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// htmlOf turns plain text into HTML showing the same text, for elements
// that hold HTML (RSS description, Atom summary of type html).
func htmlOf(plain string) string { return html.EscapeString(xmlText(plain)) }

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Self          atomLink  `xml:"atom:link"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Description string        `xml:"description"`
	Content     string        `xml:"content:encoded,omitempty"`
	Categories  []rssCategory `xml:"category"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Name   string `xml:",chardata"`
}

// rss writes the channel as RSS 2.0, with content:encoded for the body and
// an atom:link to itself.
func (ch feedChannel) rss() ([]byte, error) {
	doc := rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Content: "http://purl.org/rss/1.0/modules/content/",
		Channel: rssChannel{Title: xmlText(ch.Title), Link: xmlText(ch.Link), Description: htmlOf(ch.Description),
			Self:          atomLink{Rel: "self", Type: "application/rss+xml", Href: xmlText(ch.Self)},
			LastBuildDate: ch.Updated.UTC().Format(time.RFC1123Z)}}
	for _, it := range ch.Items {
		ri := rssItem{Title: xmlText(it.Title), Link: xmlText(it.Link), GUID: rssGUID{IsPermaLink: true, Value: xmlText(it.Link)},
			PubDate: it.Published.UTC().Format(time.RFC1123Z), Description: htmlOf(it.Summary), Content: xmlText(it.ContentHTML)}
		for _, t := range it.Tags {
			ri.Categories = append(ri.Categories, rssCategory{Domain: xmlText(ch.TagScheme + t.Slug), Name: xmlText(t.Name)})
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return marshalFeed(doc)
}

type atomDoc struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Label  string `xml:"label,attr"`
	Scheme string `xml:"scheme,attr"`
}

// atom writes the channel as an Atom 1.0 feed.
func (ch feedChannel) atom() ([]byte, error) {
	author := ch.Author
	if strings.TrimSpace(xmlText(author)) == "" {
		author = "Crosstalk" // Atom requires a name
	}
	doc := atomDoc{Title: xmlText(ch.Title), Subtitle: xmlText(ch.Description), ID: xmlText(ch.Self),
		Updated: ch.Updated.UTC().Format(time.RFC3339),
		Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: xmlText(ch.Link)},
			{Rel: "self", Type: "application/atom+xml", Href: xmlText(ch.Self)}},
		Author: atomPerson{Name: xmlText(author)}}
	for _, it := range ch.Items {
		e := atomEntry{Title: xmlText(it.Title), ID: xmlText(it.Link),
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: xmlText(it.Link)},
			Published: it.Published.UTC().Format(time.RFC3339), Updated: it.Updated.UTC().Format(time.RFC3339),
			Summary: atomText{Type: "html", Body: htmlOf(it.Summary)}, Content: atomText{Type: "html", Body: xmlText(it.ContentHTML)}}
		for _, t := range it.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: xmlText(t.Slug), Label: xmlText(t.Name),
				Scheme: xmlText(ch.TagScheme)})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalFeed(doc)
}

func marshalFeed(doc any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(doc); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
