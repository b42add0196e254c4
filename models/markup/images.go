package markup

import (
	"html"
	"regexp"
	"strings"
)

// remoteImg is an image the sanitiser let through whose source is on
// another site (an absolute or protocol-relative URL).
var remoteImg = regexp.MustCompile(`<img\b[^>]*?\bsrc="((?:https?:)?//[^"]+)"[^>]*>`)

var imgAlt = regexp.MustCompile(`\balt="([^"]*)"`)

// LocalImagesOnly replaces images from other sites with a link to them, for
// a blog that does not show remote images: the reader loads nothing from
// that site unless they follow the link. Stored HTML keeps the images, so
// turning the setting on shows them at once.
func LocalImagesOnly(sanitised string) string {
	if !strings.Contains(sanitised, "<img") {
		return sanitised
	}
	return remoteImg.ReplaceAllStringFunc(sanitised, func(tag string) string {
		src := remoteImg.FindStringSubmatch(tag)[1]
		label := "Image on another site"
		if m := imgAlt.FindStringSubmatch(tag); m != nil && strings.TrimSpace(m[1]) != "" {
			label = "Image: " + m[1]
		}
		host := html.UnescapeString(src)
		host = strings.TrimPrefix(strings.TrimPrefix(host, "https:"), "http:")
		host = strings.TrimPrefix(host, "//")
		if i := strings.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		return `<a class="remote-image" href="` + src + `" rel="nofollow noopener">` + label + ` (` + html.EscapeString(host) + `)</a>`
	})
}
