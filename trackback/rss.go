package trackback

import (
	"html"
	"io"
	"strings"
)

// RSSItem is one received ping in the WriteRSS listing.
type RSSItem struct {
	Title   string // the ping's title
	URL     string // the ping's source URL
	Excerpt string // the ping's excerpt; omitted when empty
}

// WriteRSS writes the TrackBack 1.1 "__mode=rss" listing of a post's pings:
// the success reply wrapped around an RSS 0.91 channel, the shape Movable
// Type answered with. title, link and description describe the post; items
// are the pings to list (only approved ones, in the caller's order). All
// text is plain text: it is XML-escaped, characters XML 1.0 forbids are
// dropped, and the descriptions, which RSS readers show as HTML, are
// HTML-escaped first so markup in an excerpt is shown, not run. The channel language is "en-us", as in Movable
// Type's default. The caller sets the Content-Type (XMLContentType).
func WriteRSS(w io.Writer, title, link, description string, items []RSSItem) error {
	var b strings.Builder
	b.WriteString(xmlDecl)
	b.WriteString("<response>\n<error>0</error>\n<rss version=\"0.91\"><channel>\n")
	element(&b, "title", title)
	element(&b, "link", link)
	element(&b, "description", html.EscapeString(description))
	b.WriteString("<language>en-us</language>\n")
	for _, it := range items {
		b.WriteString("<item>\n")
		element(&b, "title", it.Title)
		element(&b, "link", it.URL)
		if it.Excerpt != "" {
			element(&b, "description", html.EscapeString(it.Excerpt))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel>\n</rss></response>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// element writes <name>escaped text</name> and a newline.
func element(b *strings.Builder, name, text string) {
	b.WriteString("<" + name + ">")
	b.WriteString(xmlEscape(text))
	b.WriteString("</" + name + ">\n")
}
