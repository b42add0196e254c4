package xmlrpc_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

func ExampleDecodeCall() {
	const body = `<?xml version="1.0"?>
<methodCall>
  <methodName>metaWeblog.newPost</methodName>
  <params>
    <param><value><string>1</string></value></param>
    <param><value>admin</value></param>
    <param><value>secret</value></param>
    <param><value><struct>
      <member><name>title</name><value>Hello</value></member>
      <member><name>categories</name><value><array><data><value>Go</value></data></array></value></member>
      <member><name>dateCreated</name><value><dateTime.iso8601>20261130T10:20:30</dateTime.iso8601></value></member>
    </struct></value></param>
    <param><value><boolean>1</boolean></value></param>
  </params>
</methodCall>`
	method, raw, err := xmlrpc.DecodeCall(strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	params := xmlrpc.Params(raw)
	post, _ := params.Struct(3)
	title, _ := post.String("title")
	cats, _ := post.Strings("categories")
	created, _ := post.Time("dateCreated")
	publish, _ := params.Bool(4)
	fmt.Println(method, title, cats, created, publish)
	// Output: metaWeblog.newPost Hello [Go] 2026-11-30 10:20:30 +0000 UTC true
}

func ExampleEncodeResponse() {
	_ = xmlrpc.EncodeResponse(os.Stdout, []map[string]any{
		{"blogid": "1", "blogName": "Crosstalk", "isAdmin": true},
	})
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <methodResponse>
	// <params>
	// <param><value><array><data><value><struct><member><name>blogName</name><value><string>Crosstalk</string></value></member><member><name>blogid</name><value><string>1</string></value></member><member><name>isAdmin</name><value><boolean>1</boolean></value></member></struct></value></data></array></value></param>
	// </params>
	// </methodResponse>
}

func ExampleEncodeFault() {
	_ = xmlrpc.EncodeFault(os.Stdout, 403, "Incorrect username or password.")
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <methodResponse>
	// <fault>
	// <value><struct><member><name>faultCode</name><value><int>403</int></value></member><member><name>faultString</name><value><string>Incorrect username or password.</string></value></member></struct></value>
	// </fault>
	// </methodResponse>
}

func ExampleServer() {
	s := xmlrpc.NewServer(nil, 0)
	s.Register("demo.add", func(_ context.Context, p xmlrpc.Params) (any, error) {
		a, err := p.Int(0)
		if err != nil {
			return nil, err
		}
		b, err := p.Int(1)
		if err != nil {
			return nil, err
		}
		return a + b, nil
	})

	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/xmlrpc.php", strings.NewReader(
		`<methodCall><methodName>demo.add</methodName><params>`+
			`<param><value><i4>2</i4></value></param><param><value>40</value></param>`+
			`</params></methodCall>`))
	s.ServeHTTP(rec, req)
	sum, err := xmlrpc.DecodeResponse(rec.Body)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"), sum, err)
	fmt.Println(s.Methods())
	// Output:
	// 200 text/xml; charset=utf-8 42 <nil>
	// [demo.add system.listMethods]
}

func ExampleCall() {
	s := xmlrpc.NewServer(nil, 0)
	s.Register("pingback.ping", func(_ context.Context, p xmlrpc.Params) (any, error) {
		return nil, &xmlrpc.Fault{Code: 0x0030, Message: "The pingback has already been registered."}
	})
	ts := httptest.NewServer(s)
	defer ts.Close()

	// In production, pass a client with a timeout and SSRF protection.
	_, err := xmlrpc.Call(context.Background(), ts.Client(), ts.URL, "pingback.ping",
		"http://source.example/post", "http://target.example/post")
	var fault *xmlrpc.Fault
	if errors.As(err, &fault) {
		fmt.Println(fault.Code, fault.Message)
	}
	// Output: 48 The pingback has already been registered.
}
