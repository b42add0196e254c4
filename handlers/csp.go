package handlers

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models/markup"
)

// headerCSP is kept by the page cache: each page's policy is its own.
const headerCSP = "Content-Security-Policy"

// contentPolicy is the Content-Security-Policy of a page. Images come from
// the blog itself unless the site shows remote images (then any https:
// source) or Gravatar's pictures (then Gravatar too). Frames are allowed only from the hosts of the click-to-load
// embeds on that very page, so a page without embeds allows none, and an
// iframe a script might add points nowhere else.
func contentPolicy(remoteImages, gravatar bool, frameHosts []string) string {
	img := "img-src 'self' data:"
	switch {
	case remoteImages:
		img += " https:"
	case gravatar:
		img += " " + gravatarOrigin
	}
	var b strings.Builder
	b.WriteString("default-src 'self'; " + img + "; style-src 'self'; script-src 'self'; ")
	if len(frameHosts) > 0 {
		b.WriteString("frame-src")
		for _, h := range frameHosts {
			b.WriteString(" https://" + h)
		}
		b.WriteString("; ")
	}
	b.WriteString("object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	return b.String()
}

// pagePolicy sets the policy of a rendered page from the site's setting and
// the embeds the page holds.
func (s *Server) pagePolicy(c *gin.Context, page []byte) {
	site, err := s.site.get(c.Request.Context())
	if err != nil {
		return // the strict default from securityHeaders stays
	}
	c.Header(headerCSP, contentPolicy(site.RemoteImages, site.Gravatar, markup.EmbedHosts(page)))
}
