package xmlrpc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEncodeCallLayout(t *testing.T) {
	var buf bytes.Buffer
	err := EncodeCall(&buf, "pingback.ping", "http://a.example/?x=1&y=<2>", "http://b.example/")
	if err != nil {
		t.Fatal(err)
	}
	const want = `<?xml version="1.0" encoding="UTF-8"?>
<methodCall>
<methodName>pingback.ping</methodName>
<params>
<param><value><string>http://a.example/?x=1&amp;y=&lt;2&gt;</string></value></param>
<param><value><string>http://b.example/</string></value></param>
</params>
</methodCall>
`
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEncodeResponseLayout(t *testing.T) {
	var buf bytes.Buffer
	err := EncodeResponse(&buf, map[string]any{
		"b": []any{1, true, nil},
		"a": time.Date(2026, 11, 30, 11, 20, 30, 999, time.FixedZone("CET", 3600)),
		"c": []byte("hi"),
		"d": 1.25,
	})
	if err != nil {
		t.Fatal(err)
	}
	const want = `<?xml version="1.0" encoding="UTF-8"?>
<methodResponse>
<params>
<param><value><struct>` +
		`<member><name>a</name><value><dateTime.iso8601>20261130T10:20:30</dateTime.iso8601></value></member>` +
		`<member><name>b</name><value><array><data><value><int>1</int></value><value><boolean>1</boolean></value><value><nil/></value></data></array></value></member>` +
		`<member><name>c</name><value><base64>aGk=</base64></value></member>` +
		`<member><name>d</name><value><double>1.25</double></value></member>` +
		`</struct></value></param>
</params>
</methodResponse>
`
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEncodeFaultLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeFault(&buf, CodeMethodNotFound, `requested method <x> & "y" not found`); err != nil {
		t.Fatal(err)
	}
	const want = `<?xml version="1.0" encoding="UTF-8"?>
<methodResponse>
<fault>
<value><struct><member><name>faultCode</name><value><int>-32601</int></value></member><member><name>faultString</name><value><string>requested method &lt;x&gt; &amp; "y" not found</string></value></member></struct></value>
</fault>
</methodResponse>
`
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	_, err := DecodeResponse(&buf)
	var f *Fault
	if !errors.As(err, &f) || f.Code != CodeMethodNotFound || f.Message != `requested method <x> & "y" not found` {
		t.Errorf("DecodeResponse = %v", err)
	}
}

type (
	status    string
	level     int8
	blob      []byte
	idList    []uint16
	namedByte byte
)

func TestRoundTrip(t *testing.T) {
	when := time.Date(2026, 11, 30, 10, 20, 30, 0, time.UTC)
	str := "pointer"
	var nilPtr *int
	tests := []struct {
		name string
		in   any
		want any
	}{
		{"string", "hello", "hello"},
		{"empty string", "", ""},
		{"markup and whitespace", " <a href=\"x\">&amp;</a>\r\n\t]]> ", " <a href=\"x\">&amp;</a>\r\n\t]]> "},
		{"unicode", "héllo ☺ 𝄞", "héllo ☺ 𝄞"},
		{"invalid UTF-8 replaced", "a\xffb", "a\uFFFDb"},
		{"control characters replaced", "a\x00b\x1bc\x7f", "a\uFFFDb\uFFFDc\x7f"},
		{"non-characters replaced", "a\uFFFEb\uFFFF", "a\uFFFDb\uFFFD"},
		{"true", true, true},
		{"false", false, false},
		{"int", -42, -42},
		{"int8", int8(-8), -8},
		{"int16", int16(16), 16},
		{"int32", int32(math.MinInt32), math.MinInt32},
		{"int64", int64(math.MaxInt64), math.MaxInt64},
		{"uint", uint(7), 7},
		{"uint8", uint8(255), 255},
		{"uint16", uint16(65535), 65535},
		{"uint32", uint32(math.MaxUint32), math.MaxUint32},
		{"uint64", uint64(math.MaxInt64), math.MaxInt64},
		{"float64", 3.141592653589793, 3.141592653589793},
		{"float64 tiny", 5e-324, 5e-324},
		{"float64 huge", 1.7976931348623157e308, 1.7976931348623157e308},
		{"negative zero", math.Copysign(0, -1), math.Copysign(0, -1)},
		{"float32", float32(1.1), 1.1},
		{"time UTC", when, when},
		{"time with zone", when.In(time.FixedZone("X", -5*3600)), when},
		{"time fraction dropped", when.Add(999 * time.Millisecond), when},
		{"zero time", time.Time{}, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"bytes", []byte{0, 1, 2, 255}, []byte{0, 1, 2, 255}},
		{"empty bytes", []byte{}, []byte{}},
		{"nil bytes", []byte(nil), []byte{}},
		{"nil", nil, nil},
		{"nil pointer", nilPtr, nil},
		{"pointer", &str, "pointer"},
		{"[]any", []any{1, "a", []any{}}, []any{1, "a", []any{}}},
		{"nil []any", []any(nil), []any{}},
		{"[]string", []string{"Go", "Blogging"}, []any{"Go", "Blogging"}},
		{"[]map[string]any", []map[string]any{{"a": 1}, {}}, []any{map[string]any{"a": 1}, map[string]any{}}},
		{"[]int via reflection", []int{1, 2}, []any{1, 2}},
		{"array via reflection", [2]bool{true, false}, []any{true, false}},
		{"byte array", [3]byte{1, 2, 3}, []byte{1, 2, 3}},
		{"named byte slice", []namedByte{4, 5}, []byte{4, 5}},
		{"map[string]any", map[string]any{"z": 1, "a": map[string]any{"n": nil}}, map[string]any{"z": 1, "a": map[string]any{"n": nil}}},
		{"nil map", map[string]any(nil), map[string]any{}},
		{"Struct", Struct{"title": "x"}, map[string]any{"title": "x"}},
		{"Params", Params{"x", 1}, []any{"x", 1}},
		{"map[string]string", map[string]string{"b": "2", "a": "1"}, map[string]any{"a": "1", "b": "2"}},
		{"map[string][]string", map[string][]string{"c": {"x"}}, map[string]any{"c": []any{"x"}}},
		{"named string", status("draft"), "draft"},
		{"named int", level(-3), -3},
		{"named bytes", blob("hi"), []byte("hi")},
		{"named slice", idList{1, 2}, []any{1, 2}},
		{"struct keys escaped", map[string]any{"<&>": 1}, map[string]any{"<&>": 1}},
		{"getPost shaped", map[string]any{
			"postid": "12", "dateCreated": when, "categories": []string{"Go"}, "mt_allow_comments": 1,
			"custom_fields": []map[string]any{{"id": "3", "key": "mood", "value": "happy"}},
		}, map[string]any{
			"postid": "12", "dateCreated": when, "categories": []any{"Go"}, "mt_allow_comments": 1,
			"custom_fields": []any{map[string]any{"id": "3", "key": "mood", "value": "happy"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp bytes.Buffer
			if err := EncodeResponse(&resp, tt.in); err != nil {
				t.Fatalf("EncodeResponse: %v", err)
			}
			checkWellFormed(t, resp.Bytes())
			got, err := DecodeResponse(&resp)
			if err != nil {
				t.Fatalf("DecodeResponse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("response round trip = %#v, want %#v", got, tt.want)
			}
			if f, ok := got.(float64); ok && math.Signbit(f) != math.Signbit(tt.want.(float64)) {
				t.Errorf("sign of zero lost")
			}

			var call bytes.Buffer
			if err := EncodeCall(&call, "test.echo", tt.in, "second"); err != nil {
				t.Fatalf("EncodeCall: %v", err)
			}
			method, params, err := DecodeCall(&call)
			if err != nil {
				t.Fatalf("DecodeCall: %v", err)
			}
			if want := []any{tt.want, "second"}; method != "test.echo" || !reflect.DeepEqual(params, want) {
				t.Errorf("call round trip = %q %#v, want %#v", method, params, want)
			}
		})
	}
}

// checkWellFormed parses b with encoding/xml as an independent check.
func checkWellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v\n%s", err, b)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	var loop any
	loop = &loop
	deep := any("leaf")
	for range MaxDepth + 1 {
		deep = []any{deep}
	}
	tests := []struct {
		name string
		in   any
	}{
		{"NaN", math.NaN()},
		{"+Inf", math.Inf(1)},
		{"float32 -Inf", float32(math.Inf(-1))},
		{"uint64 too big", uint64(math.MaxInt64) + 1},
		{"year after 9999", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"negative year", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"Go struct", struct{ A int }{1}},
		{"channel", make(chan int)},
		{"func", func() {}},
		{"int map keys", map[int]string{1: "a"}},
		{"complex", complex(1, 2)},
		{"unsupported inside array", []any{1, make(chan int)}},
		{"too deep", deep},
		{"cyclic map", cyclic},
		{"pointer loop", loop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := EncodeResponse(&buf, tt.in); err == nil {
				t.Fatalf("EncodeResponse succeeded:\n%s", buf.String())
			}
			if buf.Len() != 0 {
				t.Errorf("EncodeResponse wrote %d bytes despite failing", buf.Len())
			}
			if err := EncodeCall(&buf, "m", tt.in); err == nil || buf.Len() != 0 {
				t.Errorf("EncodeCall: err = %v, wrote %d bytes", err, buf.Len())
			}
		})
	}
}

func TestEncodeDepthLimit(t *testing.T) {
	deep := any("leaf")
	for range MaxDepth {
		deep = []any{deep}
	}
	var buf bytes.Buffer
	if err := EncodeCall(&buf, "m", deep); err != nil {
		t.Fatalf("depth %d rejected: %v", MaxDepth, err)
	}
	if _, _, err := DecodeCall(&buf); err != nil {
		t.Fatalf("decoder rejects what the encoder produced: %v", err)
	}
}

func TestEncodeCallEmptyMethod(t *testing.T) {
	for _, m := range []string{"", " \n"} {
		if err := EncodeCall(io.Discard, m); err == nil {
			t.Errorf("EncodeCall(%q) succeeded", m)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestEncodeWriteError(t *testing.T) {
	if err := EncodeResponse(failingWriter{}, 1); err == nil {
		t.Error("EncodeResponse ignored write error")
	}
	if err := EncodeFault(failingWriter{}, 1, "x"); err == nil {
		t.Error("EncodeFault ignored write error")
	}
	if err := EncodeCall(failingWriter{}, "m"); err == nil {
		t.Error("EncodeCall ignored write error")
	}
}

func TestEncodeEscapesMethodName(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeCall(&buf, "a<b>&c\x00"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<methodName>a&lt;b&gt;&amp;c\uFFFD</methodName>") {
		t.Errorf("method name not escaped:\n%s", buf.String())
	}
}
