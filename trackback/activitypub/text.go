package activitypub

import (
	"mime"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PlainText turns a Note's HTML into the plain text comments are stored
// as: paragraphs and line breaks become newlines, every tag goes, entities
// are decoded. What is stored is then escaped on output like any comment.
func PlainText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(collapseBlankLines(b.String()))
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Br:
				b.WriteByte('\n')
			case atom.P, atom.Div, atom.Blockquote, atom.Li, atom.Pre:
				b.WriteString("\n\n")
			}
		}
	}
}

func collapseBlankLines(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}

// maxAttachments is how many pictures an Article carries: what Mastodon
// shows under a post.
const maxAttachments = 4

// ImagesIn lists the pictures of a post's HTML as attachments: each
// <img> with an http(s) source (a path is resolved against base), its alt
// text as name, at most four, each once.
func ImagesIn(htmlText, base string) []Image {
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil
	}
	z := html.NewTokenizer(strings.NewReader(htmlText))
	seen := map[string]bool{}
	var out []Image
	for len(out) < maxAttachments {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if tok.DataAtom != atom.Img {
			continue
		}
		var src, alt string
		for _, a := range tok.Attr {
			switch a.Key {
			case "src":
				src = a.Val
			case "alt":
				alt = a.Val
			}
		}
		u, err := baseURL.Parse(strings.TrimSpace(src))
		if err != nil || !IsHTTPURL(u.String()) || seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		out = append(out, Image{Type: "Image", MediaType: mime.TypeByExtension(path.Ext(u.Path)), URL: Link(u.String()), Name: alt})
	}
	return out
}
