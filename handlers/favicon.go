package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// favicon answers /favicon.ico: a redirect to the icon chosen in the
// settings, or the built-in icon (the theme's accent colour in a circle).
func (s *Server) favicon() gin.HandlerFunc {
	ico := defaultFavicon()
	sum := sha256.Sum256(ico)
	etag := hex.EncodeToString(sum[:8])
	started := time.Unix(0, 0).UTC()
	return func(c *gin.Context) {
		site, err := s.site.get(c.Request.Context())
		if err != nil {
			s.renderError(c, err)
			return
		}
		if site.Icon != "" {
			c.Header("Cache-Control", "public, max-age=3600")
			c.Redirect(http.StatusFound, site.Icon)
			return
		}
		// Not immutable: choosing an icon in the settings replaces it.
		c.Header("Content-Type", "image/x-icon")
		c.Header("Cache-Control", "public, max-age=86400")
		c.Header("ETag", `"`+etag+`"`)
		http.ServeContent(c.Writer, c.Request, "favicon.ico", started, bytes.NewReader(ico))
	}
}

// defaultFavicon is a 32×32 ICO holding one PNG image.
func defaultFavicon() []byte {
	const size = 32
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	accent := color.NRGBA{R: 0x0b, G: 0x57, B: 0xd0, A: 0xff}
	for y := range size {
		for x := range size {
			dx, dy := float64(x)-15.5, float64(y)-15.5
			if dx*dx+dy*dy <= 15.5*15.5 {
				img.SetNRGBA(x, y, accent)
			}
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	le([]uint16{0, 1, 1})                   // ICONDIR: reserved, type icon, one image
	le([]uint8{size, size, 0, 0})           // width, height, no palette, reserved
	le([]uint16{1, 32})                     // colour planes, bits per pixel
	le([]uint32{uint32(pngData.Len()), 22}) //nolint:gosec // G115: a 32×32 PNG is a few hundred bytes; offset 6 + 16
	b.Write(pngData.Bytes())
	return b.Bytes()
}
