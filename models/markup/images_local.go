package markup

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// imgTag is an image as the sanitiser writes it.
var imgTag = regexp.MustCompile(`<img\b[^>]*>`)

// localMedia is the address of an image uploaded to the blog.
var localMedia = regexp.MustCompile(`^/media/(\d{1,18})/[A-Za-z0-9._-]+$`)

// attrPatterns find the attributes this file reads.
var attrPatterns = map[string]*regexp.Regexp{
	"src": regexp.MustCompile(`\ssrc="([^"]*)"`), "title": regexp.MustCompile(`\stitle="([^"]*)"`),
	"width": regexp.MustCompile(`\swidth="([^"]*)"`),
}

// attrValue finds an attribute's (escaped) value in a tag.
func attrValue(tag, name string) (string, bool) {
	m := attrPatterns[name].FindStringSubmatch(tag)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// captioned is an image alone in its paragraph: a figure when it has a title.
var captioned = regexp.MustCompile(`<p>(<img\b[^>]*>)</p>`)

// contentSizes is how wide images are shown: the text column (about
// 36rem of 18px type: 648px) on wide screens, the screen less its 16px
// margins on phones. In px: sizes reads rem as 16px, not the page's root size.
const contentSizes = "(min-width: 700px) 648px, calc(100vw - 32px)"

// images gives uploaded images their size, srcset and sizes (the browser
// then fetches the smallest copy that fills the column sharply) and turns
// an image alone in its paragraph with a title, ![alt](src "Caption"), into
// a figure with that caption.
func (r *Renderer) images(ctx context.Context, sanitised string) string {
	if !strings.Contains(sanitised, "<img") {
		return sanitised
	}
	out := imgTag.ReplaceAllStringFunc(sanitised, func(tag string) string { return r.sized(ctx, tag) })
	return captioned.ReplaceAllStringFunc(out, func(p string) string {
		img := captioned.FindStringSubmatch(p)[1]
		title, ok := attrValue(img, "title")
		if !ok || strings.TrimSpace(title) == "" {
			return p
		}
		return "<figure>" + img + "<figcaption>" + title + "</figcaption></figure>"
	})
}

// sized adds width, height, srcset and sizes to an uploaded image's tag.
func (r *Renderer) sized(ctx context.Context, tag string) string {
	src, _ := attrValue(tag, "src")
	m := localMedia.FindStringSubmatch(html.UnescapeString(src))
	if r.media == nil || m == nil || strings.Contains(tag, " srcset=") {
		return tag
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return tag
	}
	size, err := r.media.MediaSize(ctx, id)
	if err != nil || size.Width <= 0 || size.Height <= 0 {
		return tag // an image deleted since, or one that could not be read
	}
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(strings.TrimSuffix(tag, ">"), "/"))
	if _, ok := attrValue(tag, "width"); !ok {
		fmt.Fprintf(&b, ` width="%d" height="%d"`, size.Width, size.Height)
	}
	if len(size.Variants) > 0 {
		b.WriteString(` srcset="`)
		for _, w := range size.Variants {
			fmt.Fprintf(&b, "%s?w=%d %dw, ", src, w, w)
		}
		fmt.Fprintf(&b, `%s %dw" sizes="%s"`, src, size.Width, contentSizes)
	}
	b.WriteString(` loading="lazy" decoding="async">`)
	return b.String()
}
