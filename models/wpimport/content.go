package wpimport

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// An imported post's body is stored as HTML in the Markdown field: every
// top-level block starts on its own line with a block tag (<p>, <figure>,
// <pre>…) and holds no blank line, so Markdown (CommonMark's HTML blocks)
// passes it through unchanged, the editor shows it as it was, and saving it
// again renders the same page. <!--more--> stays, alone between blank lines.

var (
	blockComment = regexp.MustCompile(`<!--\s*/?wp:[^>]*?-->`)
	moreComment  = regexp.MustCompile(`<!--more(\s[^>]*)?-->`)
	nextPage     = regexp.MustCompile(`<!--nextpage-->`)
	preBlock     = regexp.MustCompile(`(?is)<pre[\s>].*?</pre>`)
	blankLines   = regexp.MustCompile(`\n[ \t]*\n\s*`)
	blockStart   = regexp.MustCompile(`(?i)^<(p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|figure|figcaption|table|thead|tbody|tr|td|th|hr|section|article|aside|header|footer|nav|address|details|summary|iframe|audio|video|form|fieldset|center)[\s>/]`)
	shortcode    = regexp.MustCompile(`(?s)\[(caption|embed|video|audio)((?:\s[^\]]*)?)\](.*?)\[/(caption|embed|video|audio)\]|\[(gallery)((?:\s[^\]]*)?)\]`)
	shortAttr    = regexp.MustCompile(`(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))`)
	firstTag     = regexp.MustCompile(`(?s)^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$`)
	urlAttr      = regexp.MustCompile(`(?i)(\s(?:href|src)\s*=\s*)("[^"]*"|'[^']*')`)
	srcsetAttr   = regexp.MustCompile(`(?i)\s(?:srcset|sizes)\s*=\s*("[^"]*"|'[^']*')`)
	placeholder  = regexp.MustCompile("\x00(\\d+)\x00")
)

// converter turns WordPress post content into the stored body.
type converter struct {
	// rewrite maps an address of the old site to the local one ("" keeps it).
	rewrite func(u string) string
	// gallery returns the image addresses of a [gallery]: its ids, or the
	// post's attached images when ids is empty.
	gallery func(ids []int64) []string
}

// body converts WordPress content to the stored HTML body.
func (c *converter) body(content string) string {
	s := strings.ReplaceAll(content, "\r\n", "\n")
	s = blockComment.ReplaceAllString(s, "")
	s = nextPage.ReplaceAllString(s, "")
	s = moreComment.ReplaceAllString(s, "\n\n<!--more-->\n\n")
	s = shortcode.ReplaceAllStringFunc(s, c.shortcode)
	s = srcsetAttr.ReplaceAllString(s, "")
	s = urlAttr.ReplaceAllStringFunc(s, c.attr)
	return autop(s)
}

func (c *converter) attr(m string) string {
	parts := urlAttr.FindStringSubmatch(m)
	q := parts[2][:1]
	raw := html.UnescapeString(parts[2][1 : len(parts[2])-1])
	if local := c.rewrite(raw); local != "" {
		return parts[1] + q + html.EscapeString(local) + q
	}
	return m
}

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range shortAttr.FindAllStringSubmatch(s, -1) {
		out[strings.ToLower(m[1])] = m[2] + m[3] + m[4]
	}
	return out
}

// shortcode renders [caption] as a figure, [gallery] as a gallery of
// figures, and [embed], [video], [audio] as a link.
func (c *converter) shortcode(m string) string {
	parts := shortcode.FindStringSubmatch(m)
	name, a, inner := parts[1], attrs(parts[2]), strings.TrimSpace(parts[3])
	if parts[5] != "" {
		name, a = parts[5], attrs(parts[6])
	} else if parts[4] != name {
		return m // [caption]…[/embed]: not a shortcode we know
	}
	switch name {
	case "caption":
		caption := a["caption"]
		img := inner
		if t := firstTag.FindStringSubmatch(inner); t != nil {
			img, caption = t[1], strings.TrimSpace(t[2])+caption
		}
		fig := "\n\n<figure class=\"wp-caption\">" + img
		if caption != "" {
			fig += "<figcaption>" + caption + "</figcaption>"
		}
		return fig + "</figure>\n\n"
	case "gallery":
		var ids []int64
		for _, f := range strings.Split(a["ids"], ",") {
			var id int64
			if _, err := fmt.Sscan(strings.TrimSpace(f), &id); err == nil {
				ids = append(ids, id)
			}
		}
		var b strings.Builder
		b.WriteString("\n\n<div class=\"gallery\">")
		for _, src := range c.gallery(ids) {
			fmt.Fprintf(&b, "<figure><img src=\"%s\" alt=\"\"></figure>", html.EscapeString(src))
		}
		b.WriteString("</div>\n\n")
		return b.String()
	default: // embed, video, audio: a link to what was embedded
		u := inner
		if u == "" {
			u = a["src"] + a["mp4"] + a["mp3"]
		}
		u = html.UnescapeString(strings.TrimSpace(u))
		if local := c.rewrite(u); local != "" {
			u = local
		}
		if u == "" {
			return ""
		}
		e := html.EscapeString(u)
		return "\n\n<p><a href=\"" + e + "\">" + e + "</a></p>\n\n"
	}
}

// autop is WordPress's wpautop, reduced: text between blank lines that is
// not already a block becomes a paragraph (single line breaks become <br>),
// and blocks are separated by one blank line with none inside them, so the
// body is one Markdown HTML block per WordPress block. <pre> keeps its text.
func autop(s string) string {
	var pres []string
	s = preBlock.ReplaceAllStringFunc(s, func(p string) string {
		pres = append(pres, p)
		return fmt.Sprintf("\n\n\x00%d\x00\n\n", len(pres)-1)
	})
	var out []string
	for _, chunk := range blankLines.Split(strings.TrimSpace(s), -1) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		if chunk != "<!--more-->" && !blockStart.MatchString(chunk) && !placeholder.MatchString(chunk) {
			chunk = "<p>" + strings.ReplaceAll(chunk, "\n", "<br>\n") + "</p>"
		}
		out = append(out, chunk)
	}
	body := strings.Join(out, "\n\n")
	return placeholder.ReplaceAllStringFunc(body, func(p string) string {
		var i int
		_, _ = fmt.Sscanf(p, "\x00%d\x00", &i)
		return pres[i]
	})
}
