package xmlrpc

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// newPostParams is what both newPost requests must decode to.
func newPostParams() []any {
	return []any{
		"1", "admin", "s3cr&t",
		map[string]any{
			"title":             "Hello <World>",
			"description":       "<p>Body & more</p>",
			"mt_keywords":       "go, xml-rpc",
			"categories":        []any{"Go", "Blogging"},
			"dateCreated":       time.Date(2026, 11, 30, 10, 20, 30, 0, time.UTC),
			"mt_allow_comments": 1,
			"mt_tb_ping_urls":   []any{"http://example.org/trackback/7"},
			"wp_slug":           "hello-world",
			"post_status":       "publish",
		},
		true,
	}
}

// wrapCall builds a methodCall for "m" around raw <param> content.
func wrapCall(params ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><methodCall><methodName>m</methodName><params>`)
	for _, p := range params {
		b.WriteString("<param>" + p + "</param>")
	}
	b.WriteString("</params></methodCall>")
	return b.String()
}

func TestDecodeCall(t *testing.T) {
	quickFox := []byte("The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog.")
	tests := []struct {
		name       string
		in         string
		wantMethod string
		want       []any
	}{
		{"MarsEdit newPost", marsEditNewPost, "metaWeblog.newPost", newPostParams()},
		{"Open Live Writer newPost", openLiveWriterNewPost, "metaWeblog.newPost", newPostParams()},
		{"newMediaObject base64 with line breaks", newMediaObject, "metaWeblog.newMediaObject", []any{
			"1", "admin", "secret",
			map[string]any{"name": "photo.png", "type": "image/png", "bits": quickFox, "overwrite": false},
		}},
		{"pingback.ping", pingbackPing, "pingback.ping", []any{
			"http://source.example/post/1", "http://target.example/2026/11/hello-world/",
		}},
		{"wp.getPosts nested structs in arrays", wpGetPosts, "wp.getPosts", []any{
			1, "admin", "secret",
			map[string]any{
				"number":    20,
				"post_type": "post",
				"custom_fields": []any{
					map[string]any{"key": "mood", "value": "happy"},
					map[string]any{"key": "", "value": ""},
				},
			},
			[]any{"post_title", "post_date"},
		}},
		{"no params element", listMethods, "system.listMethods", nil},
		{"empty params element", `<methodCall><methodName> demo.x </methodName><params/></methodCall>`, "demo.x", nil},
		{"untyped keeps whitespace", wrapCall(`<value>  two  words </value>`), "m", []any{"  two  words "}},
		{"empty untyped", wrapCall(`<value></value>`, `<value/>`), "m", []any{"", ""}},
		{"empty typed string", wrapCall(`<value><string></string></value>`, `<value><string/></value>`), "m", []any{"", ""}},
		{"string keeps whitespace", wrapCall(`<value><string> x
 </string></value>`), "m", []any{" x\n "}},
		{"int i4 i8", wrapCall(`<value><int>-42</int></value>`, `<value><i4> +7 </i4></value>`, `<value><i8>9007199254740993</i8></value>`), "m", []any{-42, 7, 9007199254740993}},
		{"booleans", wrapCall(`<value><boolean>0</boolean></value>`, `<value><boolean> 1 </boolean></value>`, `<value><boolean>true</boolean></value>`), "m", []any{false, true, true}},
		{"doubles", wrapCall(`<value><double>-1.5</double></value>`, `<value><double>1e3</double></value>`, `<value><double>0</double></value>`), "m", []any{-1.5, 1000.0, 0.0}},
		{"dates", wrapCall(`<value><dateTime.iso8601>2026-11-30T10:20:30+01:00</dateTime.iso8601></value>`, `<value><dateTime.iso8601>20261130T10:20:30Z</dateTime.iso8601></value>`), "m", []any{
			time.Date(2026, 11, 30, 9, 20, 30, 0, time.UTC), time.Date(2026, 11, 30, 10, 20, 30, 0, time.UTC),
		}},
		{"base64 with character references", wrapCall(`<value><base64>aG&#107;=&#xD;&#10;</base64></value>`), "m", []any{[]byte("hi")}},
		{"base64 in a latin-1 document", strings.Replace(wrapCall(`<value><base64>aGk=</base64></value>`), "<methodCall>", `<?xml version="1.0" encoding="ISO-8859-1"?><methodCall>`, 1), "m", []any{[]byte("hi")}},
		{"base64 split by a comment and spaces", wrapCall(`<value><base64>a G<!-- x -->k =</base64></value>`), "m", []any{[]byte("hi")}},
		{"base64 unpadded and empty", wrapCall(`<value><base64>aGk</base64></value>`, `<value><base64></base64></value>`), "m", []any{[]byte("hi"), []byte{}}},
		{"nil", wrapCall(`<value><nil/></value>`, `<value><ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/></value>`), "m", []any{nil, nil}},
		{"empty array and struct", wrapCall(`<value><array><data/></array></value>`, `<value><array/></value>`, `<value><struct></struct></value>`), "m", []any{[]any{}, []any{}, map[string]any{}}},
		{"member value before name, duplicate name last wins", wrapCall(`<value><struct><member><value>1</value><name>a</name></member><member><name>a</name><value>2</value></member></struct></value>`), "m", []any{map[string]any{"a": "2"}}},
		{"comments and processing instructions skipped", `<?xml version="1.0"?><!-- c --><methodCall><!-- c --><methodName>m</methodName><params><?pi x?><param><value><!-- c --><string>a<!-- c -->b</string></value></param></params></methodCall><!-- c -->`, "m", []any{"ab"}},
		{"character references", wrapCall(`<value>&#x263A;&#65;&#xD;&apos;&quot;</value>`), "m", []any{"\u263aA\r'\""}},
		{"ISO-8859-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodCall><methodName>m</methodName><params><param><value>caf\xe9</value></param></params></methodCall>", "m", []any{"café"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, params, err := DecodeCall(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("DecodeCall: %v", err)
			}
			if method != tt.wantMethod {
				t.Errorf("method = %q, want %q", method, tt.wantMethod)
			}
			if !reflect.DeepEqual(params, tt.want) {
				t.Errorf("params =\n%#v\nwant\n%#v", params, tt.want)
			}
		})
	}
}

func nested(depth int, leaf string) string {
	return strings.Repeat("<value><array><data>", depth) + leaf + strings.Repeat("</data></array></value>", depth)
}

func TestDecodeCallErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code int
	}{
		{"empty body", "", CodeParseError},
		{"not XML", "hello", CodeParseError},
		{"truncated", marsEditNewPost[:len(marsEditNewPost)/2], CodeParseError},
		{"wrong root", `<methodResponse><params/></methodResponse>`, CodeParseError},
		{"missing methodName", `<methodCall><params/></methodCall>`, CodeParseError},
		{"empty methodName", `<methodCall><methodName> </methodName></methodCall>`, CodeParseError},
		{"element in methodName", `<methodCall><methodName><b>x</b></methodName></methodCall>`, CodeParseError},
		{"mismatched tags", `<methodCall><methodName>m</methodCall></methodName>`, CodeParseError},
		{"text between elements", `<methodCall>junk<methodName>m</methodName></methodCall>`, CodeParseError},
		{"trailing element", `<methodCall><methodName>m</methodName></methodCall><methodCall/>`, CodeParseError},
		{"trailing text", `<methodCall><methodName>m</methodName></methodCall>junk`, CodeParseError},
		{"param without value", wrapCall(``), CodeParseError},
		{"param with two values", wrapCall(`<value>a</value><value>b</value>`), CodeParseError},
		{"unknown type", wrapCall(`<value><float>1</float></value>`), CodeParseError},
		{"two types in value", wrapCall(`<value><int>1</int><int>2</int></value>`), CodeParseError},
		{"text mixed with type", wrapCall(`<value>x<int>1</int></value>`), CodeParseError},
		{"bad int", wrapCall(`<value><int>1.5</int></value>`), CodeParseError},
		{"int overflow", wrapCall(`<value><i8>99999999999999999999</i8></value>`), CodeParseError},
		{"bad boolean", wrapCall(`<value><boolean>2</boolean></value>`), CodeParseError},
		{"NaN double", wrapCall(`<value><double>NaN</double></value>`), CodeParseError},
		{"infinite double", wrapCall(`<value><double>1e999</double></value>`), CodeParseError},
		{"bad date", wrapCall(`<value><dateTime.iso8601>yesterday</dateTime.iso8601></value>`), CodeParseError},
		{"bad base64", wrapCall(`<value><base64>!!!!</base64></value>`), CodeParseError},
		{"named entity in base64", wrapCall(`<value><base64>aG&amp;k=</base64></value>`), CodeParseError},
		{"element in base64", wrapCall(`<value><base64>aG<b/>k=</base64></value>`), CodeParseError},
		{"element in string", wrapCall(`<value><string><b/></string></value>`), CodeParseError},
		{"content in nil", wrapCall(`<value><nil>x</nil></value>`), CodeParseError},
		{"array without data", wrapCall(`<value><array><value>1</value></array></value>`), CodeParseError},
		{"member without value", wrapCall(`<value><struct><member><name>a</name></member></struct></value>`), CodeParseError},
		{"member without name", wrapCall(`<value><struct><member><value>a</value></member></struct></value>`), CodeParseError},
		{"member with two names", wrapCall(`<value><struct><member><name>a</name><name>b</name><value>a</value></member></struct></value>`), CodeParseError},
		{"DOCTYPE", `<?xml version="1.0"?><!DOCTYPE methodCall><methodCall><methodName>m</methodName></methodCall>`, CodeParseError},
		{"custom entity", `<!DOCTYPE m [<!ENTITY e "boom">]><methodCall><methodName>&e;</methodName></methodCall>`, CodeParseError},
		{"external entity", `<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><methodCall><methodName>m</methodName><params><param><value>&xxe;</value></param></params></methodCall>`, CodeParseError},
		{"undeclared entity", wrapCall(`<value>&nbsp;</value>`), CodeParseError},
		{"illegal character reference", wrapCall(`<value>&#x1;</value>`), CodeParseError},
		{"invalid UTF-8", wrapCall("<value>\xff</value>"), CodeParseError},
		{"too deep", wrapCall(nested(MaxDepth+1, "<value>x</value>")), CodeParseError},
		{"too deep structs", wrapCall(strings.Repeat("<value><struct><member><name>a</name>", MaxDepth+1) + "<value/>" + strings.Repeat("</member></struct></value>", MaxDepth+1)), CodeParseError},
		{"unsupported encoding", `<?xml version="1.0" encoding="Shift_JIS"?><methodCall><methodName>m</methodName></methodCall>`, CodeUnsupportedEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, params, err := DecodeCall(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("DecodeCall succeeded: %q %#v", method, params)
			}
			var f *Fault
			if !errors.As(err, &f) {
				t.Fatalf("error %v (%T) is not a *Fault", err, err)
			}
			if f.Code != tt.code {
				t.Errorf("fault code = %d, want %d (%s)", f.Code, tt.code, f.Message)
			}
			if !strings.HasPrefix(f.Message, "parse error") {
				t.Errorf("fault message %q does not start with \"parse error\"", f.Message)
			}
		})
	}
}

func TestDecodeCallDepthLimit(t *testing.T) {
	_, params, err := DecodeCall(strings.NewReader(wrapCall(nested(MaxDepth, "<value>x</value>"))))
	if err != nil {
		t.Fatalf("depth %d rejected: %v", MaxDepth, err)
	}
	v := params[0]
	for range MaxDepth {
		arr, ok := v.([]any)
		if !ok || len(arr) != 1 {
			t.Fatalf("unexpected shape %#v", v)
		}
		v = arr[0]
	}
	if v != "x" {
		t.Fatalf("leaf = %#v", v)
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 11, 30, 10, 20, 30, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"20261130T10:20:30", want, true},
		{"20261130T10:20:30Z", want, true},
		{" 20261130T10:20:30\n", want, true},
		{"2026-11-30T10:20:30", want, true},
		{"2026-11-30T10:20:30Z", want, true},
		{"2026-11-30T12:20:30+02:00", want, true},
		{"2026-11-30T05:20:30-0500", want, true},
		{"20261130T12:20:30+02:00", want, true},
		{"20261130T102030", want, true},
		{"20261130T102030Z", want, true},
		{"2026-11-30T10:20:30.250Z", want.Add(250 * time.Millisecond), true},
		{"00000101T00:00:00Z", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"00000101T00:00:00+01:00", time.Time{}, false}, // year -1 in UTC
		{"2026-11-30", time.Time{}, false},
		{"20261130T25:00:00", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseTime(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && got.Location() != time.UTC {
			t.Errorf("parseTime(%q) location = %v, want UTC", tt.in, got.Location())
		}
	}
}

func TestDecodeResponse(t *testing.T) {
	const head = `<?xml version="1.0"?>`
	tests := []struct {
		name      string
		in        string
		want      any
		wantFault *Fault
		malformed bool
	}{
		{"string", head + `<methodResponse><params><param><value><string>Pingback registered.</string></value></param></params></methodResponse>`, "Pingback registered.", nil, false},
		{"indented struct", head + "<methodResponse>\n <params>\n  <param>\n   <value>\n    <struct><member><name>a</name><value><int>1</int></value></member></struct>\n   </value>\n  </param>\n </params>\n</methodResponse>\n", map[string]any{"a": 1}, nil, false},
		{"fault", head + `<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>48</int></value></member><member><name>faultString</name><value><string>The pingback has already been registered.</string></value></member></struct></value></fault></methodResponse>`, nil, &Fault{48, "The pingback has already been registered."}, false},
		{"fault with string code", head + `<methodResponse><fault><value><struct><member><name>faultCode</name><value>17</value></member><member><name>faultString</name><value>no link</value></member></struct></value></fault></methodResponse>`, nil, &Fault{17, "no link"}, false},
		{"fault without code", head + `<methodResponse><fault><value><struct></struct></value></fault></methodResponse>`, nil, nil, true},
		{"fault not a struct", head + `<methodResponse><fault><value>oops</value></fault></methodResponse>`, nil, nil, true},
		{"two params", head + `<methodResponse><params><param><value>a</value></param><param><value>b</value></param></params></methodResponse>`, nil, nil, true},
		{"no params", head + `<methodResponse><params></params></methodResponse>`, nil, nil, true},
		{"a call", marsEditNewPost, nil, nil, true},
		{"HTML error page", `<html><body>502 Bad Gateway</body></html>`, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeResponse(strings.NewReader(tt.in))
			var f *Fault
			isFault := errors.As(err, &f)
			switch {
			case tt.malformed:
				if err == nil || isFault {
					t.Fatalf("got %#v, %v; want a non-fault error", got, err)
				}
			case tt.wantFault != nil:
				if !isFault || *f != *tt.wantFault {
					t.Fatalf("got %#v, %v; want fault %v", got, err, tt.wantFault)
				}
			default:
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %#v, %v; want %#v", got, err, tt.want)
				}
			}
		})
	}
}

func BenchmarkDecodeCallNewPost(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(marsEditNewPost)))
	for b.Loop() {
		if _, _, err := DecodeCall(strings.NewReader(marsEditNewPost)); err != nil {
			b.Fatal(err)
		}
	}
}
