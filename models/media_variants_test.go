package models

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

func photo(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestNewMediaMeasuresAndResizes(t *testing.T) {
	tests := []struct {
		name          string
		data          []byte
		width, height int
		variants      []int
	}{
		{"wide photo", photo(t, 1700, 850), 1700, 850, []int{480, 960, 1600}},
		{"exactly 960 wide", photo(t, 960, 640), 960, 640, []int{480}},
		{"narrow", photo(t, 480, 300), 480, 300, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMedia("p.jpg", tt.data, DefaultMaxUploadBytes)
			if err != nil {
				t.Fatal(err)
			}
			if m.Width != tt.width || m.Height != tt.height || len(m.Variants) != len(tt.variants) {
				t.Fatalf("%dx%d with %d variants, want %dx%d with %v", m.Width, m.Height, len(m.Variants), tt.width, tt.height, tt.variants)
			}
			for i, v := range m.Variants {
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(v.Data))
				if err != nil || v.Width != tt.variants[i] || cfg.Width != v.Width || cfg.Height != v.Height ||
					v.Height != tt.height*v.Width/tt.width || v.Mime != "image/jpeg" || v.Size != int64(len(v.Data)) {
					t.Errorf("variant %d: %+v (decoded %+v, %v)", i, v.Width, cfg, err)
				}
			}
		})
	}
}

// BenchmarkNewMediaVariants is the upload cost of a 12-megapixel photo:
// decoding, three resized copies, encoding.
func BenchmarkNewMediaVariants(b *testing.B) {
	data := photo(b, 4000, 3000)
	b.ResetTimer()
	for range b.N {
		if _, err := NewMedia("p.jpg", data, 1<<30); err != nil {
			b.Fatal(err)
		}
	}
}
