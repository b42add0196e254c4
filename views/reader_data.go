package views

import (
	"html/template"
	"regexp"
	"strings"

	"github.com/crosstalk/crosstalk/models"
)

// MenuItem is one link of the header menu; a top-level page may have
// children (one level, as the page tree nests).
type MenuItem struct {
	Title    string
	URL      string
	Current  bool
	Children []MenuItem
}

// Share is what a page offers to link previews (Open Graph, Twitter
// cards): the page's own title, description and image.
type Share struct {
	Type  string // "website" or "article"
	Title string
	Image string
}

// Teaser is how a post shows in a list: the excerpt field (plain text), or
// the text up to <!--more--> (sanitised HTML), or the whole text; More
// says a "Continue reading" link follows, with MoreText as its words.
type Teaser struct {
	Excerpt  string
	HTML     template.HTML
	More     bool
	MoreText string
}

// Byline names a post's author and links their archive.
type Byline struct {
	Name string
	URL  string
}

// PostNeighbours are the posts before and after a post, for the links
// under it (nil at either end).
type PostNeighbours struct {
	Prev, Next *models.Post
}

// SearchPage shows one page of search results.
type SearchPage struct {
	Layout
	Query   string
	Hits    []SearchHit
	Total   int
	Page    int
	PrevURL string
	NextURL string
}

// SearchHit is a found post with its snippet, already safe HTML.
type SearchHit struct {
	Post    models.Post
	Snippet template.HTML
}

// Snippets are cut from the stored source (Markdown, or the HTML blog
// editors send): plainSnippet drops tags, link and image syntax and
// emphasis marks so that readers see words.
var (
	snippetTag   = regexp.MustCompile(`</?[A-Za-z][^<>]*>|<!--[^>]*-->`)
	snippetImage = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	snippetLink  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	snippetMarks = regexp.MustCompile("\\*\\*|__|`+|(?m)^\\s*(#{1,6}|>)\\s")
)

func plainSnippet(s string) string {
	s = snippetTag.ReplaceAllString(s, "")
	s = snippetImage.ReplaceAllString(s, "$1")
	s = snippetLink.ReplaceAllString(s, "$1")
	s = snippetMarks.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(s), " ")
}

// Highlight turns a store snippet into HTML: the source's markup is
// dropped, the text escaped, and only the store's marks (models.MarkStart,
// models.MarkEnd) become <mark> elements, always balanced.
func Highlight(snippet string) template.HTML {
	snippet = plainSnippet(snippet)
	var b strings.Builder
	open := false
	for snippet != "" {
		i := strings.IndexAny(snippet, models.MarkStart+models.MarkEnd)
		if i < 0 {
			b.WriteString(template.HTMLEscapeString(snippet))
			break
		}
		b.WriteString(template.HTMLEscapeString(snippet[:i]))
		switch {
		case snippet[i:i+1] == models.MarkStart && !open:
			b.WriteString("<mark>")
			open = true
		case snippet[i:i+1] == models.MarkEnd && open:
			b.WriteString("</mark>")
			open = false
		}
		snippet = snippet[i+1:]
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) //nolint:gosec // G203: every byte but the marks went through HTMLEscapeString
}
