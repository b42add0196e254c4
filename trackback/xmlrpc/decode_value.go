package xmlrpc

import "encoding/xml"

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
	case "base64":
		return p.base64()
	case "int", "i4", "i8", "boolean", "double", "dateTime.iso8601":
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

// array parses the content of <array>, consuming </array>.
func (p *decoder) array(level int) (any, error) {
	if err := p.checkDepth(level); err != nil {
		return nil, err
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
	err = p.children("value", func() error {
		v, err := p.value(level)
		if err != nil {
			return err
		}
		arr = append(arr, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd("array"); err != nil {
		return nil, err
	}
	return arr, nil
}

// structure parses the content of <struct>, consuming </struct>.
func (p *decoder) structure(level int) (any, error) {
	if err := p.checkDepth(level); err != nil {
		return nil, err
	}
	m := map[string]any{}
	err := p.children("member", func() error {
		name, v, err := p.member(level)
		if err != nil {
			return err
		}
		m[name] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
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
