package xmlrpc

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
)

// base64 decodes the content of <base64> up to its end tag. The text is
// read straight from the body and decoded as it comes, so an upload is
// never held as base64 and as bytes at once; after a charset conversion it
// goes through the XML tokens instead.
func (p *decoder) base64() ([]byte, error) {
	if !p.converted {
		out, err := p.streamBase64()
		if err != nil {
			return nil, err
		}
		if err := p.expectEnd("base64"); err != nil {
			return nil, err
		}
		return out, nil
	}
	return p.base64Tokens()
}

// streamBase64 decodes base64 text from p.br up to the next "<", which it
// leaves for the XML decoder. Whitespace is ignored and padding may be
// missing; anything else outside the alphabet (an entity, say) is refused.
func (p *decoder) streamBase64() ([]byte, error) {
	out := make([]byte, 0, min(max(p.sizeHint, 0)/4*3, 64<<20))
	chunk := make([]byte, 0, 4096)
	for {
		c, err := p.br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, p.errorf("unexpected end of document")
			}
			return nil, err
		}
		switch c {
		case '<':
			if err := p.br.UnreadByte(); err != nil {
				return nil, err
			}
			if skipped, err := p.skipComment(); err != nil {
				return nil, err
			} else if skipped {
				continue
			}
			whole := len(chunk) / 4 * 4
			if out, err = base64.StdEncoding.AppendDecode(out, chunk[:whole]); err != nil {
				return nil, p.errorf("invalid <base64> value")
			}
			if out, err = base64.RawStdEncoding.AppendDecode(out, bytes.TrimRight(chunk[whole:], "=")); err != nil {
				return nil, p.errorf("invalid <base64> value")
			}
			return out, nil
		case '&': // a character reference, such as the &#xD; of CR LF line breaks
			if c, err = p.charRef(); err != nil {
				return nil, err
			}
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		case c == '+' || c == '/' || c == '=' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z':
			chunk = append(chunk, c)
			if len(chunk) == cap(chunk) {
				if out, err = base64.StdEncoding.AppendDecode(out, chunk); err != nil {
					return nil, p.errorf("invalid <base64> value")
				}
				chunk = chunk[:0]
			}
		default:
			return nil, p.errorf("invalid <base64> value")
		}
	}
}

// skipComment consumes an XML comment at the reader's position, if there
// is one there.
func (p *decoder) skipComment() (bool, error) {
	if head, err := p.br.Peek(4); err != nil || string(head) != "<!--" {
		return false, nil //nolint:nilerr // not a comment (or the end): the XML decoder reports it
	}
	var last [2]byte
	if _, err := p.br.Discard(4); err != nil {
		return false, err
	}
	for {
		c, err := p.br.ReadByte()
		if err != nil {
			return false, err
		}
		if c == '>' && last == [2]byte{'-', '-'} {
			return true, nil
		}
		last = [2]byte{last[1], c}
	}
}

// charRef reads a numeric character reference after its "&" and returns
// the ASCII character it names; anything else in base64 text is an error.
func (p *decoder) charRef() (byte, error) {
	var ref []byte
	for len(ref) < 8 {
		c, err := p.br.ReadByte()
		if err != nil {
			return 0, err
		}
		if c == ';' {
			var n uint64
			var perr error
			switch {
			case len(ref) > 2 && (ref[1] == 'x' || ref[1] == 'X') && ref[0] == '#':
				n, perr = strconv.ParseUint(string(ref[2:]), 16, 8)
			case len(ref) > 1 && ref[0] == '#':
				n, perr = strconv.ParseUint(string(ref[1:]), 10, 8)
			default:
				perr = errors.New("not numeric")
			}
			if perr != nil || n >= 0x80 {
				break
			}
			return byte(n), nil
		}
		ref = append(ref, c)
	}
	return 0, p.errorf("invalid <base64> value")
}

// base64Tokens decodes the content of <base64> from the XML tokens (after
// a charset conversion), consuming its end tag.
func (p *decoder) base64Tokens() ([]byte, error) {
	var out, carry []byte // carry: fewer than four characters not yet decoded
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData: // valid only until the next token: decode it now
			clean := stripSpace(t)
			if len(carry) > 0 {
				clean = append(carry, clean...)
			}
			whole := len(clean) / 4 * 4
			if out, err = base64.StdEncoding.AppendDecode(out, clean[:whole]); err != nil {
				return nil, p.errorf("invalid <base64> value")
			}
			carry = append([]byte(nil), clean[whole:]...)
		case xml.EndElement:
			if out, err = base64.RawStdEncoding.AppendDecode(out, bytes.TrimRight(carry, "=")); err != nil {
				return nil, p.errorf("invalid <base64> value")
			}
			if out == nil {
				out = []byte{}
			}
			return out, nil
		case xml.StartElement:
			return nil, p.errorf("unexpected <%s> in text", t.Name.Local)
		}
	}
}

// stripSpace removes XML whitespace from b in place.
func stripSpace(b []byte) []byte {
	clean := b[:0]
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			clean = append(clean, c)
		}
	}
	return clean
}
