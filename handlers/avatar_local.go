package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
)

// gravatarOrigin is where Gravatar pictures come from when the site chose
// them; the Content-Security-Policy allows it then only.
const gravatarOrigin = "https://www.gravatar.com"

// commentAvatar is the picture shown beside a reader's comment: by default
// an identicon made here from a keyed hash of the email (or, without one,
// the name), so the address in the page says nothing Gravatar or anyone
// without the site's key could match to an email. With the Gravatar
// setting, commenters with an email get Gravatar's picture (which sends
// the SHA-256 of their email to Gravatar from every reader's browser).
// Webmention replies show their stored avatar (their own template).
func (s *Server) commentAvatar(site models.Site, f *models.Feedback) string {
	if f.Kind != models.FeedbackComment {
		return ""
	}
	email := strings.ToLower(strings.TrimSpace(f.AuthorEmail))
	if site.Gravatar && email != "" {
		sum := sha256.Sum256([]byte(email))
		return gravatarOrigin + "/avatar/" + hex.EncodeToString(sum[:]) + "?s=64&d=identicon"
	}
	who := "email:" + email
	if email == "" {
		who = "name:" + strings.ToLower(strings.TrimSpace(f.AuthorName))
	}
	return "/identicons/" + s.keyedHash("avatar:" + who)[:32] + ".svg"
}

// identiconEpoch is the Last-Modified of every identicon: they never change.
var identiconEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// serveIdenticon draws the identicon a hash names (/identicons/HASH.svg):
// the picture depends on the hash alone, so it is cached for a year.
func (s *Server) serveIdenticon(c *gin.Context) {
	hash, ok := strings.CutSuffix(c.Param("file"), ".svg")
	sum, err := hex.DecodeString(hash)
	if !ok || err != nil || len(sum) != 16 {
		s.renderError(c, models.ErrNotFound)
		return
	}
	svg := identiconSVG(sum)
	serveImmutable(c, "image/svg+xml", hash, "avatar.svg", identiconEpoch, []byte(svg))
}

// identiconPalette are colours with enough contrast on the light ground.
var identiconPalette = []string{"#1b6ac9", "#c0392b", "#16803c", "#8e44ad", "#b45309", "#0e7490", "#be185d", "#4d7c0f",
	"#6d28d9", "#9f1239", "#155e75", "#a16207"}

// identiconSVG draws a 5×5 left-right symmetric pattern: 15 cells from
// the hash's bits, a colour from its last byte.
func identiconSVG(sum []byte) string {
	var d strings.Builder
	for col := range 3 {
		for row := range 5 {
			bit := col*5 + row
			if sum[bit/8]>>(bit%8)&1 == 0 {
				continue
			}
			fmt.Fprintf(&d, "M%d %dh1v1h-1z", col, row)
			if col < 2 {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", 4-col, row)
			}
		}
	}
	colour := identiconPalette[int(sum[15])%len(identiconPalette)]
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6" width="64" height="64" shape-rendering="crispEdges">` +
		`<rect x="-0.5" y="-0.5" width="6" height="6" fill="#eef0f3"/><path fill="` + colour + `" d="` + d.String() + `"/></svg>`
}
