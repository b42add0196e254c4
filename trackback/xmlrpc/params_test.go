package xmlrpc

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// checkInvalid asserts err is a -32602 fault, or nil when ok is true.
func checkInvalid(t *testing.T, err error, ok bool) {
	t.Helper()
	if ok {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var f *Fault
	if !errors.As(err, &f) || f.Code != CodeInvalidParams || !strings.HasPrefix(f.Message, "invalid params") {
		t.Fatalf("error = %v, want an invalid params fault", err)
	}
}

func TestParams(t *testing.T) {
	when := time.Date(2026, 11, 30, 10, 20, 30, 0, time.UTC)
	p := Params{
		"1",                    // 0
		7,                      // 1
		" 42 ",                 // 2
		true,                   // 3
		map[string]any{"a": 1}, // 4
		[]byte("hi"),           // 5
		when,                   // 6
		"20261130T10:20:30",    // 7
		[]any{"x", "y"},        // 8
		nil,                    // 9
		"abc",                  // 10
		2,                      // 11
		"TRUE",                 // 12
		[]any{"x", 1},          // 13
		1.5,                    // 14
		"0",                    // 15
	}
	call := func(kind string, i int) (any, error) {
		switch kind {
		case "String":
			return p.String(i)
		case "Int":
			return p.Int(i)
		case "Bool":
			return p.Bool(i)
		case "Struct":
			return p.Struct(i)
		case "Bytes":
			return p.Bytes(i)
		case "Time":
			return p.Time(i)
		case "Array":
			return p.Array(i)
		case "Strings":
			return p.Strings(i)
		}
		panic(kind)
	}
	tests := []struct {
		kind string
		i    int
		want any
		ok   bool
	}{
		{"String", 0, "1", true},
		{"String", 1, "7", true}, // blogid sent as <int>
		{"String", 3, "", false},
		{"String", 9, "", false},
		{"String", 14, "", false},
		{"String", -1, "", false},
		{"String", len(p), "", false},
		{"Int", 1, 7, true},
		{"Int", 2, 42, true},
		{"Int", 0, 1, true},
		{"Int", 10, 0, false},
		{"Int", 3, 0, false},
		{"Int", 14, 0, false},
		{"Int", 99, 0, false},
		{"Bool", 3, true, true},
		{"Bool", 1, false, false}, // 7 is not 0 or 1
		{"Bool", 0, true, true},   // "1"
		{"Bool", 15, false, true}, // "0"
		{"Bool", 12, true, true},  // "TRUE"
		{"Bool", 11, false, false},
		{"Bool", 10, false, false},
		{"Struct", 4, Struct{"a": 1}, true},
		{"Struct", 8, Struct(nil), false},
		{"Struct", 9, Struct(nil), false},
		{"Bytes", 5, []byte("hi"), true},
		{"Bytes", 0, []byte(nil), false},
		{"Time", 6, when, true},
		{"Time", 7, when, true},
		{"Time", 10, time.Time{}, false},
		{"Time", 1, time.Time{}, false},
		{"Array", 8, []any{"x", "y"}, true},
		{"Array", 0, []any(nil), false},
		{"Strings", 8, []string{"x", "y"}, true},
		{"Strings", 0, []string{"1"}, true},
		{"Strings", 13, []string(nil), false},
		{"Strings", 1, []string(nil), false},
	}
	for _, tt := range tests {
		got, err := call(tt.kind, tt.i)
		t.Run(tt.kind, func(t *testing.T) {
			checkInvalid(t, err, tt.ok)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s(%d) = %#v, want %#v", tt.kind, tt.i, got, tt.want)
			}
		})
	}
}

// faultMessage is the message of the Fault in err's chain, or "".
func faultMessage(err error) string {
	var f *Fault
	if errors.As(err, &f) {
		return f.Message
	}
	return ""
}

func TestParamsMessages(t *testing.T) {
	p := Params{"x"}
	_, err := p.Struct(0)
	if want := "invalid params: param 0: expected struct, got string"; faultMessage(err) != want {
		t.Errorf("Struct(0) error = %v, want message %q", err, want)
	}
	_, err = p.String(3)
	if want := "invalid params: missing param 3 (got 1 params)"; faultMessage(err) != want {
		t.Errorf("String(3) error = %v, want message %q", err, want)
	}
	_, err = Struct{"categories": 5}.Strings("categories")
	if want := `invalid params: member "categories": expected array of strings, got int`; faultMessage(err) != want {
		t.Errorf("Strings error = %v, want message %q", err, want)
	}
}

func TestStruct(t *testing.T) {
	when := time.Date(2026, 11, 30, 10, 20, 30, 0, time.UTC)
	s := Struct{
		"title":             "Hello",
		"mt_allow_comments": 1,
		"mt_allow_pings":    "0",
		"categories":        []any{"Go", "Blogging"},
		"one_category":      "Go",
		"no_category":       "",
		"bad_categories":    []any{"Go", 3},
		"dateCreated":       when,
		"bits":              []byte{1},
		"enclosure":         map[string]any{"url": "http://x/"},
		"custom_fields":     []any{map[string]any{"key": "k"}},
		"nothing":           nil,
		"flag":              true,
	}
	call := func(kind, key string) (any, error) {
		switch kind {
		case "String":
			return s.String(key)
		case "Int":
			return s.Int(key)
		case "Bool":
			return s.Bool(key)
		case "Strings":
			return s.Strings(key)
		case "Time":
			return s.Time(key)
		case "Bytes":
			return s.Bytes(key)
		case "Struct":
			return s.Struct(key)
		case "Array":
			return s.Array(key)
		}
		panic(kind)
	}
	tests := []struct {
		kind, key string
		want      any
		ok        bool
	}{
		{"String", "title", "Hello", true},
		{"String", "missing", "", true},
		{"String", "nothing", "", true},
		{"String", "mt_allow_comments", "1", true},
		{"String", "categories", "", false},
		{"Int", "mt_allow_comments", 1, true},
		{"Int", "mt_allow_pings", 0, true},
		{"Int", "missing", 0, true},
		{"Int", "title", 0, false},
		{"Bool", "mt_allow_comments", true, true},
		{"Bool", "mt_allow_pings", false, true},
		{"Bool", "flag", true, true},
		{"Bool", "missing", false, true},
		{"Bool", "title", false, false},
		{"Strings", "categories", []string{"Go", "Blogging"}, true},
		{"Strings", "one_category", []string{"Go"}, true},
		{"Strings", "no_category", []string{}, true},
		{"Strings", "missing", []string(nil), true},
		{"Strings", "bad_categories", []string(nil), false},
		{"Strings", "mt_allow_comments", []string(nil), false},
		{"Time", "dateCreated", when, true},
		{"Time", "missing", time.Time{}, true},
		{"Time", "title", time.Time{}, false},
		{"Bytes", "bits", []byte{1}, true},
		{"Bytes", "title", []byte(nil), false},
		{"Struct", "enclosure", Struct{"url": "http://x/"}, true},
		{"Struct", "title", Struct(nil), false},
		{"Array", "custom_fields", []any{map[string]any{"key": "k"}}, true},
		{"Array", "title", []any(nil), false},
	}
	for _, tt := range tests {
		got, err := call(tt.kind, tt.key)
		t.Run(tt.kind+"/"+tt.key, func(t *testing.T) {
			checkInvalid(t, err, tt.ok)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s(%q) = %#v, want %#v", tt.kind, tt.key, got, tt.want)
			}
		})
	}
	for key, want := range map[string]bool{"title": true, "nothing": false, "missing": false, "no_category": true} {
		if got := s.Has(key); got != want {
			t.Errorf("Has(%q) = %v, want %v", key, got, want)
		}
	}
}

// TestParamsFromDecodedNewPost drives the accessors the way a
// metaWeblog.newPost handler would, on a decoded MarsEdit request.
func TestParamsFromDecodedNewPost(t *testing.T) {
	_, raw, err := DecodeCall(strings.NewReader(openLiveWriterNewPost))
	if err != nil {
		t.Fatal(err)
	}
	p := Params(raw)
	blogID, err := p.Int(0)
	checkInvalid(t, err, true)
	content, err := p.Struct(3)
	checkInvalid(t, err, true)
	publish, err := p.Bool(4)
	checkInvalid(t, err, true)
	cats, err := content.Strings("categories")
	checkInvalid(t, err, true)
	pings, err := content.Strings("mt_tb_ping_urls")
	checkInvalid(t, err, true)
	created, err := content.Time("dateCreated")
	checkInvalid(t, err, true)
	comments, err := content.Int("mt_allow_comments")
	checkInvalid(t, err, true)
	if blogID != 1 || !publish || !reflect.DeepEqual(cats, []string{"Go", "Blogging"}) ||
		!reflect.DeepEqual(pings, []string{"http://example.org/trackback/7"}) ||
		!created.Equal(time.Date(2026, 11, 30, 10, 20, 30, 0, time.UTC)) || comments != 1 {
		t.Errorf("got blogID=%d publish=%v cats=%v pings=%v created=%v comments=%d",
			blogID, publish, cats, pings, created, comments)
	}
	_, err = p.Struct(2)
	checkInvalid(t, err, false)
	_, err = p.String(5)
	checkInvalid(t, err, false)
}
