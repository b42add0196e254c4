// Package markup turns a writer's Markdown into the sanitised HTML that the
// post page, the preview and the feeds all show: one renderer for all three.
package markup

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// Renderer converts Markdown (GitHub flavour: tables, fenced code, footnotes,
// autolinks, strikethrough, task lists) to safe HTML. It is safe for
// concurrent use; build one at start-up.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds a Renderer.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		// Raw HTML is let through goldmark and then cleaned by bluemonday, so
		// writers may use harmless tags while scripts never survive.
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	policy := bluemonday.UGCPolicy()
	policy.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("code", "pre", "span", "div", "sup", "li", "a", "section", "ol", "hr")
	policy.AllowAttrs("id").Matching(bluemonday.Paragraph).OnElements("li", "sup", "section", "h1", "h2", "h3", "h4", "h5", "h6")
	policy.AllowAttrs("role").Matching(bluemonday.SpaceSeparatedTokens).OnElements("a", "section", "div")
	policy.AllowAttrs("type", "checked", "disabled").OnElements("input")
	policy.RequireNoFollowOnLinks(false)
	return &Renderer{md: md, policy: policy}
}

// HTML renders src to sanitised HTML.
func (r *Renderer) HTML(src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("markup: %w", err)
	}
	return r.policy.Sanitize(buf.String()), nil
}

// Text returns the visible text of rendered HTML, white space collapsed: used
// for plain excerpts in feeds, pings and page descriptions.
func Text(renderedHTML string) string {
	z := xhtml.NewTokenizer(strings.NewReader(renderedHTML))
	var b strings.Builder
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case xhtml.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		}
	}
}

// Cut shortens s to at most n characters, ending with "..." when cut.
func Cut(s string, n int) string { return text.Shorten(s, n, "...") }

// Links returns the absolute http(s) link targets in rendered HTML, in order,
// without repeats.
func Links(renderedHTML string) []string {
	seen := map[string]bool{}
	var out []string
	text.WalkHTML([]byte(renderedHTML), text.Visitor{Link: func(l text.Link) bool {
		href := strings.TrimSpace(l.Href)
		lower := strings.ToLower(href)
		if l.Tag != atom.Link && (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")) && !seen[href] {
			seen[href] = true
			out = append(out, href)
		}
		return true
	}})
	return out
}
