package trackback

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// textDecoder turns the raw bytes of one form value into UTF-8.
type textDecoder struct {
	kind decoderKind
	enc  encoding.Encoding
	// fffd is U+FFFD in enc, or nil when enc cannot encode it. It tells a
	// replacement character the sender really sent from one the decoder
	// produced for bytes it could not decode.
	fffd []byte
}

type decoderKind int

const (
	decodeUTF8 decoderKind = iota
	decodeWindows1252
	decodeOther
)

// utf8FFFD is U+FFFD REPLACEMENT CHARACTER in UTF-8.
const utf8FFFD = "\uFFFD"

// maxCharsetName bounds the charset name echoed in an error message.
const maxCharsetName = 40

// charsetParam returns the charset parameter of a Content-Type header, or ""
// when there is none or the header does not parse.
func charsetParam(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// newTextDecoder returns the decoder for a declared charset name. With an
// empty name it picks UTF-8 when every value is valid UTF-8, Windows-1252
// otherwise.
func newTextDecoder(name string, values [][]byte) (textDecoder, error) {
	name = strings.Trim(name, " \t\r\n\"'")
	if name == "" {
		for _, v := range values {
			if !utf8.Valid(v) {
				return textDecoder{kind: decodeWindows1252}, nil
			}
		}
		return textDecoder{kind: decodeUTF8}, nil
	}
	lower := strings.ToLower(name)
	if strings.Contains(lower, "utf-7") || strings.Contains(lower, "utf7") {
		return textDecoder{}, unsupportedCharset(name)
	}
	enc, err := htmlindex.Get(name)
	if err != nil || enc == encoding.Replacement {
		// "replacement" is what the WHATWG index maps dangerous legacy
		// encodings (ISO-2022-KR, HZ-GB-2312...) to: refuse them.
		return textDecoder{}, unsupportedCharset(name)
	}
	switch canonical, _ := htmlindex.Name(enc); canonical {
	case "utf-8":
		return textDecoder{kind: decodeUTF8}, nil
	case "windows-1252":
		return textDecoder{kind: decodeWindows1252}, nil
	}
	d := textDecoder{kind: decodeOther, enc: enc}
	if b, err := enc.NewEncoder().Bytes([]byte(utf8FFFD)); err == nil && len(b) > 0 {
		d.fffd = b
	}
	return d, nil
}

// unsupportedCharset wraps ErrUnsupportedCharset with a printable, bounded
// copy of the name.
func unsupportedCharset(name string) error {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, name)
	if len(clean) > maxCharsetName {
		clean = clean[:maxCharsetName]
	}
	if clean == "" {
		return ErrUnsupportedCharset
	}
	return fmt.Errorf("%w: %s", ErrUnsupportedCharset, clean)
}

// decode converts raw to UTF-8. It fails with ErrUndecodable when raw is not
// valid in the charset, including when the x/text decoder silently replaced
// bad bytes with U+FFFD.
func (d textDecoder) decode(raw []byte) (string, error) {
	switch d.kind {
	case decodeUTF8:
		if !utf8.Valid(raw) {
			return "", ErrUndecodable
		}
		return string(raw), nil
	case decodeWindows1252:
		return decodeWindows1252Bytes(raw), nil
	}
	out, err := d.enc.NewDecoder().Bytes(raw)
	if err != nil || !utf8.Valid(out) {
		return "", ErrUndecodable
	}
	if n := bytes.Count(out, []byte(utf8FFFD)); n > 0 {
		sent := 0
		if d.fffd != nil {
			sent = bytes.Count(raw, d.fffd)
		}
		if n > sent {
			return "", ErrUndecodable
		}
	}
	return string(out), nil
}

// decodeWindows1252Bytes decodes Windows-1252 the WHATWG way: the five bytes
// the code page leaves undefined become the C1 controls of the same value
// (dropped later by cleaning) instead of U+FFFD, so every byte string
// decodes.
func decodeWindows1252Bytes(raw []byte) string {
	var b strings.Builder
	b.Grow(len(raw) + len(raw)/2)
	for _, c := range raw {
		if c < utf8.RuneSelf {
			b.WriteByte(c)
			continue
		}
		r := charmap.Windows1252.DecodeByte(c)
		if r == utf8.RuneError {
			r = rune(c)
		}
		b.WriteRune(r)
	}
	return b.String()
}
