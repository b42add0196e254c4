package models

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/crosstalk/crosstalk/models/markup"
)

// VariantWidths are the widths of the resized copies made of an uploaded
// image, for srcset: a phone, a column on a laptop, a wide screen at 2x.
var VariantWidths = []int{480, 960, 1600}

// maxVariantPixels bounds the images that are resized: decoding takes four
// bytes a pixel, so a larger upload is kept as sent, without variants.
const maxVariantPixels = 24_000_000

// MediaVariant is a resized copy of an uploaded image.
type MediaVariant struct {
	MediaID int64 `gorm:"primaryKey;autoIncrement:false"`
	Width   int   `gorm:"primaryKey;autoIncrement:false"`
	Height  int
	Mime    string
	Size    int64
	Data    []byte
}

// TableName keeps the table name as the migration creates it.
func (MediaVariant) TableName() string { return "media_variants" }

// MediaSize is what the Markdown renderer needs to write srcset: the
// original's size and the widths of its variants, narrowest first.
type MediaSize = markup.MediaSize

// measureAndResize reads the image's size into m and makes its variants:
// one per VariantWidths narrower than the original. GIFs are measured only
// (resizing would drop their animation); a file that does not decode, or
// is too large to decode safely, is kept without variants.
func measureAndResize(m *Media) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(m.Data))
	if m.Mime == "image/webp" {
		cfg, err = webp.DecodeConfig(bytes.NewReader(m.Data))
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return
	}
	m.Width, m.Height = cfg.Width, cfg.Height
	if m.Mime == "image/gif" || cfg.Width*cfg.Height > maxVariantPixels || cfg.Width <= VariantWidths[0] {
		return
	}
	src, err := decodeImage(m.Mime, m.Data)
	if err != nil {
		return
	}
	// Widest first, each from the smallest halving of the image that is
	// still at least twice as wide (a mipmap): halving averages 2×2 blocks,
	// and the last step shrinks by less than half, so the fast bilinear
	// sampler does not alias, and no step needs the kernel scaler's
	// buffer (32 bytes per pixel of a whole column of the source).
	cur := src
	var made []MediaVariant
	for i := len(VariantWidths) - 1; i >= 0; i-- {
		w := VariantWidths[i]
		if w >= cfg.Width {
			continue
		}
		for cur.Bounds().Dx() >= 2*w {
			cur = scaled(cur, cur.Bounds().Dx()/2, cur.Bounds().Dy()/2)
		}
		h := max(1, cfg.Height*w/cfg.Width)
		mime, data, err := encodeVariant(m.Mime, scaled(cur, w, h))
		if err != nil || len(data) >= len(m.Data) {
			continue // no smaller than the original: the original serves
		}
		made = append(made, MediaVariant{Width: w, Height: h, Mime: mime, Size: int64(len(data)), Data: data})
	}
	for i := len(made) - 1; i >= 0; i-- { // narrowest first
		m.Variants = append(m.Variants, made[i])
	}
}

// scaled is img resized to w×h with the bilinear sampler.
func scaled(img image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, max(1, w), max(1, h)))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

func decodeImage(mime string, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch mime {
	case "image/jpeg":
		return jpeg.Decode(r)
	case "image/png":
		return png.Decode(r)
	case "image/webp":
		return webp.Decode(r)
	default:
		return gif.Decode(r)
	}
}

// encodeVariant writes JPEG for photos (and opaque WebP, which the
// standard library cannot write) and PNG where transparency must stay.
func encodeVariant(mime string, img *image.RGBA) (string, []byte, error) {
	var buf bytes.Buffer
	if mime == "image/png" || (mime == "image/webp" && !img.Opaque()) {
		err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
		return "image/png", buf.Bytes(), err
	}
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 82})
	return "image/jpeg", buf.Bytes(), err
}
