package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// DefaultMaxUploadBytes is the largest media file accepted unless configured.
const DefaultMaxUploadBytes = 10 << 20

// maxMediaNameLen bounds a stored file name, extension included.
const maxMediaNameLen = 100

// mediaTypes are the file types accepted, by sniffed MIME type, with the
// extension a stored name gets.
var mediaTypes = map[string]string{
	"image/png":  ".png",
	"image/jpeg": ".jpg",
	"image/gif":  ".gif",
	"image/webp": ".webp",
}

// Media is an uploaded file, kept in the database so the blog stays one file
// to back up. Data is left empty by listings.
type Media struct {
	ID        int64
	Name      string
	Mime      string
	Size      int64
	SHA256    string `gorm:"column:sha256"`
	Data      []byte
	CreatedAt time.Time
	// Width and Height are the image's size (0 when it could not be read).
	Width, Height int
	// Variants are resized copies made at upload, stored beside it.
	Variants []MediaVariant `gorm:"-"`
}

// TableName keeps the table name as the migration creates it.
func (Media) TableName() string { return "media" }

// Path is where the file is served: /media/ID/name.
func (m *Media) Path() string { return fmt.Sprintf("/media/%d/%s", m.ID, m.Name) }

// VariantPath is where its copy width pixels wide is served.
func (m *Media) VariantPath(width int) string { return fmt.Sprintf("%s?w=%d", m.Path(), width) }

// NewMedia checks an upload and prepares it for storage. The type is found
// from the bytes themselves, whatever the client claimed, and only PNG,
// JPEG, GIF and WebP images are accepted; the name is cleaned to a slug with
// the extension of the real type. maxBytes bounds the size.
func NewMedia(name string, data []byte, maxBytes int64) (*Media, error) {
	var ve ValidationError
	mime := http.DetectContentType(data)
	ext, ok := mediaTypes[mime]
	switch {
	case len(data) == 0:
		ve.Add("file", "The file is empty.")
	case int64(len(data)) > maxBytes:
		ve.Add("file", fmt.Sprintf("The file is larger than the limit of %s.", FormatBytes(maxBytes)))
	case !ok:
		ve.Add("file", "Only PNG, JPEG, GIF and WebP images can be uploaded.")
	}
	if err := ve.OrNil(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	m := &Media{Name: mediaName(name, ext), Mime: mime, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Data: data}
	measureAndResize(m)
	return m, nil
}

// mediaName makes a safe file name: the client's base name as a slug (a
// client may send a path), with ext.
func mediaName(name, ext string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	slug := Slugify(base)
	if len(slug) > maxMediaNameLen-len(ext) {
		slug = strings.TrimRight(text.TruncateBytes(slug, maxMediaNameLen-len(ext)), "-")
	}
	if slug == "" {
		slug = "file"
	}
	return slug + ext
}

// FormatBytes writes a size for people: 512 bytes, 3.2 KiB, 10 MiB.
func FormatBytes(n int64) string {
	switch {
	case n == 1:
		return "1 byte"
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	default:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
	}
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
