package xmlrpc

import (
	"io"
	"strings"
	"unicode/utf8"
)

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
		p.converted = true // the XML decoder no longer reads p.br as is
		return &latin1Reader{r: in}, nil
	}
	p.badCharset, p.isBadCharset = label, true
	return nil, &charsetError{label: label}
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
