package xmlrpc

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Params holds the decoded parameters of a call. Its accessors take a
// zero-based index and return a *[Fault] with code [CodeInvalidParams] when
// the index is out of range or the value has the wrong type, so a handler
// can return the error unchanged:
//
//	title, err := params.String(1)
//	if err != nil {
//		return nil, err
//	}
type Params []any

// Struct is a decoded XML-RPC struct. Its accessors treat a missing member
// and a <nil/> member alike: they return the zero value and a nil error,
// because nearly every member of the blogging APIs' structs is optional. Use
// [Struct.Has] to tell an absent member from a zero one. A member of the
// wrong type yields a *[Fault] with code [CodeInvalidParams].
type Struct map[string]any

func (p Params) get(i int) (any, error) {
	if i < 0 || i >= len(p) {
		return nil, &Fault{Code: CodeInvalidParams,
			Message: fmt.Sprintf("invalid params: missing param %d (got %d params)", i, len(p))}
	}
	return p[i], nil
}

func param[T any](p Params, i int, want string, conv func(any) (T, bool)) (T, error) {
	var zero T
	v, err := p.get(i)
	if err != nil {
		return zero, err
	}
	t, ok := conv(v)
	if !ok {
		return zero, typeFault(fmt.Sprintf("param %d", i), want, v)
	}
	return t, nil
}

func member[T any](s Struct, key, want string, conv func(any) (T, bool)) (T, error) {
	var zero T
	v := s[key]
	if v == nil {
		return zero, nil
	}
	t, ok := conv(v)
	if !ok {
		return zero, typeFault(fmt.Sprintf("member %q", key), want, v)
	}
	return t, nil
}

func typeFault(where, want string, got any) *Fault {
	return &Fault{Code: CodeInvalidParams,
		Message: fmt.Sprintf("invalid params: %s: expected %s, got %s", where, want, typeName(got))}
}

// typeName names the XML-RPC type of a decoded value.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "nil"
	case string:
		return "string"
	case int, int64, int32:
		return "int"
	case bool:
		return "boolean"
	case float64, float32:
		return "double"
	case time.Time:
		return "dateTime.iso8601"
	case []byte:
		return "base64"
	case []any, []string:
		return "array"
	case map[string]any, Struct:
		return "struct"
	}
	return "unsupported value"
}

// String returns parameter i as a string. An int is accepted and formatted
// in decimal, since clients disagree on whether ids such as blogid are
// strings or ints.
func (p Params) String(i int) (string, error) { return param(p, i, "string", asString) }

// Int returns parameter i as an int. A string holding a decimal integer
// (surrounding whitespace allowed) is accepted too.
func (p Params) Int(i int) (int, error) { return param(p, i, "int", asInt) }

// Bool returns parameter i as a bool. Besides a boolean it accepts the ints
// 0 and 1 and the strings "0", "1", "true" and "false" (any case).
func (p Params) Bool(i int) (bool, error) { return param(p, i, "boolean", asBool) }

// Struct returns parameter i, which must be a struct.
func (p Params) Struct(i int) (Struct, error) { return param(p, i, "struct", asStruct) }

// Bytes returns parameter i, which must be base64.
func (p Params) Bytes(i int) ([]byte, error) { return param(p, i, "base64", asBytes) }

// Time returns parameter i as a time. A string in one of the accepted
// dateTime.iso8601 forms is accepted too.
func (p Params) Time(i int) (time.Time, error) { return param(p, i, "dateTime.iso8601", asTime) }

// Array returns parameter i, which must be an array.
func (p Params) Array(i int) ([]any, error) { return param(p, i, "array", asArray) }

// Strings returns parameter i, which must be an array of strings or a
// single string; see [Struct.Strings].
func (p Params) Strings(i int) ([]string, error) { return param(p, i, "array of strings", asStrings) }

// Has reports whether member key is present and not <nil/>.
func (s Struct) Has(key string) bool { return s[key] != nil }

// String returns member key as a string; an int is accepted and formatted
// in decimal.
func (s Struct) String(key string) (string, error) { return member(s, key, "string", asString) }

// Int returns member key as an int; a string holding a decimal integer is
// accepted too.
func (s Struct) Int(key string) (int, error) { return member(s, key, "int", asInt) }

// Bool returns member key as a bool, accepting the same values as
// [Params.Bool].
func (s Struct) Bool(key string) (bool, error) { return member(s, key, "boolean", asBool) }

// Strings returns member key, which must be an array of strings (such as
// categories or mt_tb_ping_urls) or a single string, which yields a
// one-element slice (or an empty one when the string is empty). Strings does
// not split comma-separated values such as mt_keywords; use [Struct.String]
// for those.
func (s Struct) Strings(key string) ([]string, error) {
	return member(s, key, "array of strings", asStrings)
}

// Time returns member key as a time; a string in one of the accepted
// dateTime.iso8601 forms is accepted too.
func (s Struct) Time(key string) (time.Time, error) {
	return member(s, key, "dateTime.iso8601", asTime)
}

// Bytes returns member key, which must be base64.
func (s Struct) Bytes(key string) ([]byte, error) { return member(s, key, "base64", asBytes) }

// Struct returns member key, which must be a struct (such as enclosure).
func (s Struct) Struct(key string) (Struct, error) { return member(s, key, "struct", asStruct) }

// Array returns member key, which must be an array (such as custom_fields).
func (s Struct) Array(key string) ([]any, error) { return member(s, key, "array", asArray) }

func asString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int:
		return strconv.Itoa(x), true
	}
	return "", false
}

func asInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		return n, err == nil
	}
	return 0, false
}

func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case int:
		return x == 1, x == 0 || x == 1
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "1", "true":
			return true, true
		case "0", "false":
			return false, true
		}
	}
	return false, false
}

func asStruct(v any) (Struct, bool) {
	switch x := v.(type) {
	case map[string]any:
		return Struct(x), true
	case Struct:
		return x, true
	}
	return nil, false
}

func asBytes(v any) ([]byte, bool) {
	b, ok := v.([]byte)
	return b, ok
}

func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		return parseTime(x)
	}
	return time.Time{}, false
}

func asArray(v any) ([]any, bool) {
	a, ok := v.([]any)
	return a, ok
}

func asStrings(v any) ([]string, bool) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return []string{}, true
		}
		return []string{x}, true
	case []string:
		return slices.Clone(x), true
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}
