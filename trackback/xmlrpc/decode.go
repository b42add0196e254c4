package xmlrpc

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and structs that the decoders
// accept and the encoders produce. A top-level array or struct is at depth 1.
const MaxDepth = 64

// xmlSpace holds the XML whitespace characters.
const xmlSpace = " \t\r\n"

// DecodeCall parses an XML-RPC methodCall document and returns the method
// name (with surrounding whitespace removed) and the decoded parameters (nil
// when there are none). See the package documentation for the mapping of
// XML-RPC types to Go values.
//
// Every error is a *[Fault]: [CodeUnsupportedEncoding] for an unknown
// character encoding, [CodeParseError] for everything else (including read
// errors), so that a server can send it back unchanged.
func DecodeCall(r io.Reader) (method string, params []any, err error) {
	method, params, err = decodeCall(r)
	if err != nil {
		return "", nil, toFault(err)
	}
	return method, params, nil
}

// DecodeResponse parses an XML-RPC methodResponse document and returns its
// single value. If the response is a fault, the error is a *[Fault] holding
// the server's code and message. Any other error means the response could
// not be parsed; it is never a *Fault.
func DecodeResponse(r io.Reader) (any, error) {
	v, err := decodeResponse(r)
	if err != nil {
		var f *Fault
		if errors.As(err, &f) {
			return nil, f
		}
		return nil, fmt.Errorf("xmlrpc: malformed response: %w", err)
	}
	return v, nil
}

func decodeCall(r io.Reader) (string, []any, error) {
	p := newDecoder(r)
	method, params, err := p.call()
	if err != nil {
		return "", nil, p.wrap(err)
	}
	return method, params, nil
}

func decodeResponse(r io.Reader) (any, error) {
	p := newDecoder(r)
	v, err := p.response()
	if err != nil {
		var f *Fault
		if errors.As(err, &f) {
			return nil, f
		}
		return nil, p.wrap(err)
	}
	return v, nil
}

// syntaxError is a violation of the XML-RPC grammar found by the decoder.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("line %d: %s", e.line, e.msg)
}

// charsetError reports a document declaring an unsupported encoding.
type charsetError struct{ label string }

func (e *charsetError) Error() string {
	return fmt.Sprintf("unsupported encoding %q", e.label)
}

// toFault converts an error from decodeCall into the fault sent to clients.
func toFault(err error) *Fault {
	var (
		ce *charsetError
		se *syntaxError
		xe *xml.SyntaxError
	)
	switch {
	case errors.As(err, &ce):
		return &Fault{Code: CodeUnsupportedEncoding, Message: "parse error. unsupported encoding"}
	case errors.As(err, &se):
		return &Fault{Code: CodeParseError, Message: "parse error. not well formed: " + se.Error()}
	case errors.As(err, &xe):
		return &Fault{Code: CodeParseError, Message: fmt.Sprintf("parse error. not well formed: line %d: %s", xe.Line, xe.Msg)}
	default:
		return &Fault{Code: CodeParseError, Message: "parse error. could not read request"}
	}
}

// decoder is a recursive-descent XML-RPC parser over an xml.Decoder token
// stream.
type decoder struct {
	d            *xml.Decoder
	badCharset   string
	isBadCharset bool
}

func newDecoder(r io.Reader) *decoder {
	br := bufio.NewReader(r)
	// .NET-based clients may start the document with a UTF-8 byte order
	// mark, which encoding/xml would report as text before the root.
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	p := &decoder{d: xml.NewDecoder(br)}
	p.d.Strict = true
	p.d.Entity = nil // only the five predefined entities
	p.d.CharsetReader = p.charsetReader
	return p
}

// wrap replaces the opaque error encoding/xml reports for an unsupported
// charset with a *charsetError.
func (p *decoder) wrap(err error) error {
	if p.isBadCharset {
		return &charsetError{label: p.badCharset}
	}
	return err
}

func (p *decoder) charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
		return &latin1Reader{r: in}, nil
	}
	p.badCharset, p.isBadCharset = label, true
	return nil, &charsetError{label: label}
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
			if err == io.EOF {
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
		if err == io.EOF {
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

func (p *decoder) call() (string, []any, error) {
	if err := p.expectStart("methodCall"); err != nil {
		return "", nil, err
	}
	if err := p.expectStart("methodName"); err != nil {
		return "", nil, err
	}
	name, err := p.text()
	if err != nil {
		return "", nil, err
	}
	name = strings.Trim(name, xmlSpace)
	if name == "" {
		return "", nil, p.errorf("empty <methodName>")
	}
	tok, err := p.nonSpace()
	if err != nil {
		return "", nil, err
	}
	var params []any
	switch t := tok.(type) {
	case xml.EndElement: // no <params>
	case xml.StartElement:
		if t.Name.Local != "params" {
			return "", nil, p.errorf("expected <params>, found %s", describe(tok))
		}
		if params, err = p.params(); err != nil {
			return "", nil, err
		}
		if err := p.expectEnd("methodCall"); err != nil {
			return "", nil, err
		}
	}
	if err := p.eof(); err != nil {
		return "", nil, err
	}
	return name, params, nil
}

// params parses the <param> children of <params>, consuming </params>.
func (p *decoder) params() ([]any, error) {
	var params []any
	for {
		tok, err := p.nonSpace()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return params, nil
		case xml.StartElement:
			if t.Name.Local != "param" {
				return nil, p.errorf("expected <param>, found %s", describe(tok))
			}
			v, err := p.param()
			if err != nil {
				return nil, err
			}
			params = append(params, v)
		}
	}
}

// param parses the content of <param>, consuming </param>.
func (p *decoder) param() (any, error) {
	if err := p.expectStart("value"); err != nil {
		return nil, err
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd("param"); err != nil {
		return nil, err
	}
	return v, nil
}

func (p *decoder) response() (any, error) {
	if err := p.expectStart("methodResponse"); err != nil {
		return nil, err
	}
	tok, err := p.nonSpace()
	if err != nil {
		return nil, err
	}
	se, ok := tok.(xml.StartElement)
	if !ok {
		return nil, p.errorf("expected <params> or <fault>, found %s", describe(tok))
	}
	var (
		v     any
		fault *Fault
	)
	switch se.Name.Local {
	case "params":
		if err := p.expectStart("param"); err != nil {
			return nil, err
		}
		if v, err = p.param(); err != nil {
			return nil, err
		}
		if err := p.expectEnd("params"); err != nil {
			return nil, err
		}
	case "fault":
		if err := p.expectStart("value"); err != nil {
			return nil, err
		}
		fv, err := p.value(0)
		if err != nil {
			return nil, err
		}
		if fault, err = p.fault(fv); err != nil {
			return nil, err
		}
		if err := p.expectEnd("fault"); err != nil {
			return nil, err
		}
	default:
		return nil, p.errorf("expected <params> or <fault>, found %s", describe(tok))
	}
	if err := p.expectEnd("methodResponse"); err != nil {
		return nil, err
	}
	if err := p.eof(); err != nil {
		return nil, err
	}
	if fault != nil {
		return nil, fault
	}
	return v, nil
}

// fault converts the value of a <fault> to a *Fault. A numeric string
// faultCode is tolerated.
func (p *decoder) fault(v any) (*Fault, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, p.errorf("<fault> value is not a struct")
	}
	code, ok := asInt(m["faultCode"])
	if !ok {
		return nil, p.errorf("<fault> has no integer faultCode")
	}
	msg, _ := m["faultString"].(string)
	return &Fault{Code: code, Message: msg}, nil
}

// value parses the content of <value>, consuming </value>. level is the
// number of enclosing arrays and structs.
func (p *decoder) value(level int) (any, error) {
	var text []byte
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text = append(text, t...)
		case xml.EndElement:
			return string(text), nil // untyped value: a string
		case xml.StartElement:
			if !isSpace(text) {
				return nil, p.errorf("text mixed with <%s> in <value>", t.Name.Local)
			}
			v, err := p.typed(t.Name.Local, level)
			if err != nil {
				return nil, err
			}
			if err := p.expectEnd("value"); err != nil {
				return nil, err
			}
			return v, nil
		}
	}
}

// typed parses the content of a type element, consuming its end tag.
func (p *decoder) typed(typ string, level int) (any, error) {
	switch typ {
	case "string":
		return p.text()
	case "array":
		return p.array(level + 1)
	case "struct":
		return p.structure(level + 1)
	case "nil":
		if err := p.expectEnd("nil"); err != nil {
			return nil, err
		}
		return nil, nil
	case "int", "i4", "i8", "boolean", "double", "dateTime.iso8601", "base64":
	default:
		return nil, p.errorf("unknown type <%s>", typ)
	}
	s, err := p.text()
	if err != nil {
		return nil, err
	}
	v, ok := scalar(typ, s)
	if !ok {
		return nil, p.errorf("invalid <%s> value", typ)
	}
	return v, nil
}

func scalar(typ, s string) (any, bool) {
	switch typ {
	case "base64":
		b, err := decodeBase64(s)
		return b, err == nil
	case "boolean":
		switch strings.ToLower(strings.Trim(s, xmlSpace)) {
		case "1", "true":
			return true, true
		case "0", "false":
			return false, true
		}
		return nil, false
	case "double":
		f, err := strconv.ParseFloat(strings.Trim(s, xmlSpace), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		return f, true
	case "dateTime.iso8601":
		return parseTime(s)
	default: // int, i4, i8
		n, err := strconv.Atoi(strings.Trim(s, xmlSpace))
		return n, err == nil
	}
}

// array parses the content of <array>, consuming </array>.
func (p *decoder) array(level int) (any, error) {
	if level > MaxDepth {
		return nil, p.errorf("arrays and structs nested deeper than %d levels", MaxDepth)
	}
	arr := []any{}
	tok, err := p.nonSpace()
	if err != nil {
		return nil, err
	}
	if _, ok := tok.(xml.EndElement); ok {
		return arr, nil // <array/>, tolerated
	}
	if se, ok := tok.(xml.StartElement); !ok || se.Name.Local != "data" {
		return nil, p.errorf("expected <data>, found %s", describe(tok))
	}
	for {
		tok, err := p.nonSpace()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if err := p.expectEnd("array"); err != nil {
				return nil, err
			}
			return arr, nil
		case xml.StartElement:
			if t.Name.Local != "value" {
				return nil, p.errorf("expected <value>, found %s", describe(tok))
			}
			v, err := p.value(level)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	}
}

// structure parses the content of <struct>, consuming </struct>.
func (p *decoder) structure(level int) (any, error) {
	if level > MaxDepth {
		return nil, p.errorf("arrays and structs nested deeper than %d levels", MaxDepth)
	}
	m := map[string]any{}
	for {
		tok, err := p.nonSpace()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return m, nil
		case xml.StartElement:
			if t.Name.Local != "member" {
				return nil, p.errorf("expected <member>, found %s", describe(tok))
			}
			name, v, err := p.member(level)
			if err != nil {
				return nil, err
			}
			m[name] = v
		}
	}
}

// member parses the content of <member>, consuming </member>. <name> and
// <value> are accepted in either order.
func (p *decoder) member(level int) (string, any, error) {
	var (
		name              string
		v                 any
		hasName, hasValue bool
	)
	for {
		tok, err := p.nonSpace()
		if err != nil {
			return "", nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if !hasName || !hasValue {
				return "", nil, p.errorf("<member> needs one <name> and one <value>")
			}
			return name, v, nil
		case xml.StartElement:
			switch {
			case t.Name.Local == "name" && !hasName:
				name, err = p.text()
				hasName = true
			case t.Name.Local == "value" && !hasValue:
				v, err = p.value(level)
				hasValue = true
			default:
				return "", nil, p.errorf("unexpected %s in <member>", describe(tok))
			}
			if err != nil {
				return "", nil, err
			}
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

// decodeBase64 decodes standard base64, ignoring whitespace anywhere and
// tolerating missing padding.
func decodeBase64(s string) ([]byte, error) {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			clean = append(clean, c)
		}
	}
	// RawStdEncoding.DecodedLen is an upper bound for both encodings.
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		unpadded := bytes.TrimRight(clean, "=")
		n, err = base64.RawStdEncoding.Decode(out, unpadded)
		if err != nil {
			return nil, err
		}
	}
	return out[:n], nil
}

// parseTime parses the dateTime.iso8601 forms sent by real clients. See the
// package documentation.
func parseTime(s string) (time.Time, bool) {
	s = strings.Trim(s, xmlSpace)
	layouts := [...]string{
		"20060102T15:04:05",
		"20060102T15:04:05Z07:00",
		"20060102T15:04:05Z0700",
		"2006-01-02T15:04:05",
		"2006-01-02T15:04:05Z07:00",
		"2006-01-02T15:04:05Z0700",
		"20060102T150405",
		"20060102T150405Z07:00",
		"20060102T150405Z0700",
	}
	for _, layout := range layouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t = t.UTC()
		if y := t.Year(); y < 0 || y > 9999 {
			return time.Time{}, false
		}
		return t, true
	}
	return time.Time{}, false
}

// latin1Reader converts ISO-8859-1 to UTF-8.
type latin1Reader struct {
	r   io.Reader
	err error
	out []byte // converted bytes not yet returned are out[pos:]
	pos int
	in  [512]byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	for l.pos == len(l.out) {
		if l.err != nil {
			return 0, l.err
		}
		var n int
		n, l.err = l.r.Read(l.in[:])
		l.out, l.pos = l.out[:0], 0
		for _, c := range l.in[:n] {
			l.out = utf8.AppendRune(l.out, rune(c))
		}
	}
	n := copy(p, l.out[l.pos:])
	l.pos += n
	return n, nil
}
