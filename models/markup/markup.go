// Package markup turns a writer's Markdown into the sanitised HTML that the
// post page, the preview and the feeds all show: one renderer for all three.
package markup

import (
	"bytes"
	"context"
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
	media  MediaSizes
}

// MediaSizes tells the size of an uploaded image and the widths of its
// resized copies (models.Store implements it).
type MediaSizes interface {
	MediaSize(ctx context.Context, id int64) (MediaSize, error)
}

// MediaSize is an uploaded image's size and the widths of its resized
// copies, narrowest first.
type MediaSize struct {
	Width, Height int
	Variants      []int
}

// Option configures a Renderer.
type Option func(*Renderer)

// WithMedia lets the renderer write width, height, srcset and sizes for
// images uploaded to the blog.
func WithMedia(m MediaSizes) Option { return func(r *Renderer) { r.media = m } }

// New builds a Renderer.
func New(opts ...Option) *Renderer {
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
	r := &Renderer{md: md, policy: policy}
	for _, o := range opts {
		o(r)
	}
	return r
}

// HTML renders src to sanitised HTML. After the sanitiser, markup the
// server builds itself is added: click-to-load embeds for video and
// Mastodon links alone on their line, figures for captioned images, and
// srcset for uploaded images.
func (r *Renderer) HTML(ctx context.Context, src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("markup: %w", err)
	}
	return r.images(ctx, embeds(r.policy.Sanitize(buf.String()))), nil
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
