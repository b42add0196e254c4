package xmlrpc

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

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

func (p *decoder) call() (string, []any, error) {
	name, err := p.callHead()
	if err != nil {
		return "", nil, err
	}
	params, err := p.callParams(nil)
	if err != nil {
		return "", nil, err
	}
	return name, params, nil
}

// callHead parses up to the method name, so a server can decide what to do
// with the call (and how much of it to read) before its parameters.
func (p *decoder) callHead() (string, error) {
	if err := p.expectStart("methodCall"); err != nil {
		return "", err
	}
	if err := p.expectStart("methodName"); err != nil {
		return "", err
	}
	name, err := p.text()
	if err != nil {
		return "", err
	}
	name = strings.Trim(name, xmlSpace)
	if name == "" {
		return "", p.errorf("empty <methodName>")
	}
	return name, nil
}

// callParams parses the rest of a call after callHead. after, if not nil,
// is called with the parameters decoded so far after each one; an error
// from it stops decoding and is returned as is.
func (p *decoder) callParams(after func([]any) error) ([]any, error) {
	tok, err := p.nonSpace()
	if err != nil {
		return nil, err
	}
	var params []any
	switch t := tok.(type) {
	case xml.EndElement: // no <params>
	case xml.StartElement:
		if t.Name.Local != "params" {
			return nil, p.errorf("expected <params>, found %s", describe(tok))
		}
		if params, err = p.params(after); err != nil {
			return nil, err
		}
		if err := p.expectEnd("methodCall"); err != nil {
			return nil, err
		}
	}
	if err := p.eof(); err != nil {
		return nil, err
	}
	return params, nil
}

// params parses the <param> children of <params>, consuming </params>;
// after, if not nil, sees the parameters so far after each one.
func (p *decoder) params(after func([]any) error) ([]any, error) {
	var params []any
	err := p.children("param", func() error {
		v, err := p.param()
		if err != nil {
			return err
		}
		params = append(params, v)
		if after != nil {
			return after(params)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return params, nil
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
