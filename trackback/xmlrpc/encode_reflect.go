package xmlrpc

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// reflect handles named types, other slices and maps, and pointers.
func (e *encoder) reflect(rv reflect.Value, level int) error {
	for hops := 0; rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface; hops++ {
		if rv.IsNil() {
			e.b = append(e.b, "<nil/>"...)
			return nil
		}
		if hops == MaxDepth {
			return errors.New("too many pointer indirections")
		}
		rv = rv.Elem()
	}
	if rv.Type() == reflect.TypeFor[time.Time]() {
		return e.time(rv.Interface().(time.Time))
	}
	switch rv.Kind() {
	case reflect.Bool:
		return e.typed(rv.Bool(), level)
	case reflect.String:
		e.str(rv.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.int(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return e.uint(rv.Uint())
	case reflect.Float32:
		return e.float(rv.Float(), 32)
	case reflect.Float64:
		return e.float(rv.Float(), 64)
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, rv.Len())
			for i := range b {
				b[i] = byte(rv.Index(i).Uint()) //nolint:gosec // G115: the element's kind is Uint8, so the value fits a byte (it may be a named byte type)
			}
			e.base64(b)
			return nil
		}
		if level++; level > MaxDepth {
			return tooDeep()
		}
		e.b = append(e.b, "<array><data>"...)
		for i := range rv.Len() {
			if err := e.value(rv.Index(i).Interface(), level); err != nil {
				return err
			}
		}
		e.b = append(e.b, "</data></array>"...)
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("unsupported map key type %s", rv.Type().Key())
		}
		if level++; level > MaxDepth {
			return tooDeep()
		}
		keys := rv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		e.b = append(e.b, "<struct>"...)
		for _, k := range keys {
			e.member(k.String())
			if err := e.value(rv.MapIndex(k).Interface(), level); err != nil {
				return err
			}
			e.b = append(e.b, "</member>"...)
		}
		e.b = append(e.b, "</struct>"...)
	default:
		return fmt.Errorf("unsupported type %s", rv.Type())
	}
	return nil
}
