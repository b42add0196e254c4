package xmlrpc

import (
	"encoding/xml"
	"errors"
	"fmt"
)

// MaxDepth is the deepest nesting of arrays and structs that the decoders
// accept and the encoders produce. A top-level array or struct is at depth 1.
const MaxDepth = 64

func tooDeep() error {
	return fmt.Errorf("arrays and structs nested deeper than %d levels", MaxDepth)
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
