package xmlrpc

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// xmlSpace holds the XML whitespace characters.
const xmlSpace = " \t\r\n"

// decoder is a recursive-descent XML-RPC parser over an xml.Decoder token
// stream.
type decoder struct {
	d            *xml.Decoder
	badCharset   string
	isBadCharset bool
	// br is what d reads, byte by byte (a bufio.Reader is an io.ByteReader,
	// so encoding/xml keeps no read-ahead of its own): <base64> text is
	// decoded straight from it, unless a charset conversion sits between.
	br        *bufio.Reader
	converted bool
	// sizeHint is the body's announced length, to size a decoded upload once.
	sizeHint int64
}

func newDecoder(r io.Reader) *decoder {
	br := bufio.NewReader(r)
	// .NET-based clients may start the document with a UTF-8 byte order
	// mark, which encoding/xml would report as text before the root.
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	p := &decoder{d: xml.NewDecoder(br), br: br}
	p.d.Strict = true
	p.d.Entity = nil // only the five predefined entities
	p.d.CharsetReader = p.charsetReader
	return p
}

func (p *decoder) errorf(format string, args ...any) error {
	line, _ := p.d.InputPos()
	return &syntaxError{line: line, msg: fmt.Sprintf(format, args...)}
}

// token returns the next token, skipping comments and processing
// instructions and rejecting directives (DOCTYPE and friends).
func (p *decoder) token() (xml.Token, error) {
	for {
		tok, err := p.d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, p.errorf("unexpected end of document")
			}
			return nil, err
		}
		switch tok.(type) {
		case xml.Comment, xml.ProcInst:
			continue
		case xml.Directive:
			return nil, p.errorf("DOCTYPE and other <!...> declarations are not allowed")
		}
		return tok, nil
	}
}

// nonSpace returns the next element token, skipping whitespace.
func (p *decoder) nonSpace() (xml.Token, error) {
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		if cd, ok := tok.(xml.CharData); ok {
			if isSpace(cd) {
				continue
			}
			return nil, p.errorf("unexpected text")
		}
		return tok, nil
	}
}

func describe(tok xml.Token) string {
	switch t := tok.(type) {
	case xml.StartElement:
		return "<" + t.Name.Local + ">"
	case xml.EndElement:
		return "</" + t.Name.Local + ">"
	}
	return "text"
}

func (p *decoder) expectStart(name string) error {
	tok, err := p.nonSpace()
	if err != nil {
		return err
	}
	if se, ok := tok.(xml.StartElement); !ok || se.Name.Local != name {
		return p.errorf("expected <%s>, found %s", name, describe(tok))
	}
	return nil
}

// expectEnd consumes the end tag of the current element; encoding/xml has
// already checked that it matches.
func (p *decoder) expectEnd(name string) error {
	tok, err := p.nonSpace()
	if err != nil {
		return err
	}
	if _, ok := tok.(xml.EndElement); !ok {
		return p.errorf("expected </%s>, found %s", name, describe(tok))
	}
	return nil
}

// children calls each for every <name> child element of the current
// element, skipping whitespace between them, and consumes the current
// element's end tag. each must consume the child's end tag. Any other child
// element is an error.
func (p *decoder) children(name string, each func() error) error {
	for {
		tok, err := p.nonSpace()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if t.Name.Local != name {
				return p.errorf("expected <%s>, found %s", name, describe(tok))
			}
			if err := each(); err != nil {
				return err
			}
		}
	}
}

// checkDepth rejects an array or struct nested level deep when level exceeds
// MaxDepth.
func (p *decoder) checkDepth(level int) error {
	if level > MaxDepth {
		return p.errorf("%v", tooDeep())
	}
	return nil
}

// text returns the character data of the current element up to its end tag.
func (p *decoder) text() (string, error) {
	var b []byte
	for {
		tok, err := p.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b = append(b, t...)
		case xml.EndElement:
			return string(b), nil
		case xml.StartElement:
			return "", p.errorf("unexpected <%s> in text", t.Name.Local)
		}
	}
}

// eof checks that nothing but whitespace, comments and processing
// instructions follows the root element.
func (p *decoder) eof() error {
	for {
		tok, err := p.d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if !isSpace(t) {
				return p.errorf("unexpected text after document element")
			}
		default:
			return p.errorf("unexpected %s after document element", describe(tok))
		}
	}
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}
