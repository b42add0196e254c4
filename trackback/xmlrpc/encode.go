package xmlrpc

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	// timeLayout is the dateTime.iso8601 form written by the encoder.
	timeLayout = "20060102T15:04:05"
)

// EncodeCall writes an XML-RPC methodCall document for method with the given
// parameters. The document is built in memory and written with a single
// Write, so nothing is written if a parameter cannot be encoded.
func EncodeCall(w io.Writer, method string, params ...any) error {
	if strings.Trim(method, xmlSpace) == "" {
		return errors.New("xmlrpc: empty method name")
	}
	e := &encoder{}
	e.b = append(e.b, xmlHeader+"<methodCall>\n<methodName>"...)
	e.b = appendEscaped(e.b, method)
	e.b = append(e.b, "</methodName>\n<params>\n"...)
	for i, p := range params {
		e.b = append(e.b, "<param>"...)
		if err := e.value(p, 0); err != nil {
			return fmt.Errorf("xmlrpc: param %d: %w", i, err)
		}
		e.b = append(e.b, "</param>\n"...)
	}
	e.b = append(e.b, "</params>\n</methodCall>\n"...)
	_, err := w.Write(e.b)
	return err
}

// EncodeResponse writes a successful XML-RPC methodResponse document
// carrying v. Nothing is written if v cannot be encoded, so the caller can
// still send a fault instead.
func EncodeResponse(w io.Writer, v any) error {
	e := &encoder{}
	e.b = append(e.b, xmlHeader+"<methodResponse>\n<params>\n<param>"...)
	if err := e.value(v, 0); err != nil {
		return fmt.Errorf("xmlrpc: %w", err)
	}
	e.b = append(e.b, "</param>\n</params>\n</methodResponse>\n"...)
	_, err := w.Write(e.b)
	return err
}

// EncodeFault writes an XML-RPC fault methodResponse document.
func EncodeFault(w io.Writer, code int, message string) error {
	b := make([]byte, 0, 320+len(message))
	b = append(b, xmlHeader+"<methodResponse>\n<fault>\n"+
		"<value><struct><member><name>faultCode</name><value><int>"...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, "</int></value></member><member><name>faultString</name><value><string>"...)
	b = appendEscaped(b, message)
	b = append(b, "</string></value></member></struct></value>\n</fault>\n</methodResponse>\n"...)
	_, err := w.Write(b)
	return err
}

type encoder struct {
	b []byte
}

// value appends <value>...</value> for v. level is the number of enclosing
// arrays and structs.
func (e *encoder) value(v any, level int) error {
	e.b = append(e.b, "<value>"...)
	if err := e.typed(v, level); err != nil {
		return err
	}
	e.b = append(e.b, "</value>"...)
	return nil
}

// typed handles the common types without reflection.
func (e *encoder) typed(v any, level int) error {
	switch x := v.(type) {
	case nil:
		e.b = append(e.b, "<nil/>"...)
	case string:
		e.str(x)
	case bool:
		if x {
			e.b = append(e.b, "<boolean>1</boolean>"...)
		} else {
			e.b = append(e.b, "<boolean>0</boolean>"...)
		}
	case int:
		e.int(int64(x))
	case int64:
		e.int(x)
	case int32:
		e.int(int64(x))
	case float64:
		return e.float(x, 64)
	case float32:
		return e.float(float64(x), 32)
	case time.Time:
		return e.time(x)
	case []byte:
		e.base64(x)
	case []any:
		return encodeSlice(e, x, level)
	case Params:
		return encodeSlice(e, x, level)
	case []string:
		return encodeSlice(e, x, level)
	case []map[string]any:
		return encodeSlice(e, x, level)
	case map[string]any:
		return e.structMap(x, level)
	case Struct:
		return e.structMap(x, level)
	default:
		return e.reflect(reflect.ValueOf(v), level)
	}
	return nil
}

func (e *encoder) str(s string) {
	e.b = append(e.b, "<string>"...)
	e.b = appendEscaped(e.b, s)
	e.b = append(e.b, "</string>"...)
}

func (e *encoder) int(n int64) {
	e.b = append(e.b, "<int>"...)
	e.b = strconv.AppendInt(e.b, n, 10)
	e.b = append(e.b, "</int>"...)
}

func (e *encoder) uint(n uint64) error {
	if n > math.MaxInt64 {
		return fmt.Errorf("integer %d out of range", n)
	}
	e.int(int64(n))
	return nil
}

func (e *encoder) float(f float64, bits int) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("cannot encode %v as <double>", f)
	}
	e.b = append(e.b, "<double>"...)
	e.b = strconv.AppendFloat(e.b, f, 'f', -1, bits)
	e.b = append(e.b, "</double>"...)
	return nil
}

func (e *encoder) time(t time.Time) error {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Errorf("year %d out of range for dateTime.iso8601", y)
	}
	e.b = append(e.b, "<dateTime.iso8601>"...)
	e.b = t.AppendFormat(e.b, timeLayout)
	e.b = append(e.b, "</dateTime.iso8601>"...)
	return nil
}

func (e *encoder) base64(b []byte) {
	e.b = append(e.b, "<base64>"...)
	e.b = base64.StdEncoding.AppendEncode(e.b, b)
	e.b = append(e.b, "</base64>"...)
}

func encodeSlice[T any](e *encoder, s []T, level int) error {
	if level++; level > MaxDepth {
		return tooDeep()
	}
	e.b = append(e.b, "<array><data>"...)
	for _, v := range s {
		if err := e.value(v, level); err != nil {
			return err
		}
	}
	e.b = append(e.b, "</data></array>"...)
	return nil
}

func (e *encoder) structMap(m map[string]any, level int) error {
	if level++; level > MaxDepth {
		return tooDeep()
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.b = append(e.b, "<struct>"...)
	for _, k := range keys {
		e.member(k)
		if err := e.value(m[k], level); err != nil {
			return err
		}
		e.b = append(e.b, "</member>"...)
	}
	e.b = append(e.b, "</struct>"...)
	return nil
}

func (e *encoder) member(name string) {
	e.b = append(e.b, "<member><name>"...)
	e.b = appendEscaped(e.b, name)
	e.b = append(e.b, "</name>"...)
}
