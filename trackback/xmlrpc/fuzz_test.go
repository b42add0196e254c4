package xmlrpc

import (
	"bytes"
	"errors"
	"testing"
)

func FuzzDecodeCall(f *testing.F) {
	for _, seed := range []string{
		marsEditNewPost,
		openLiveWriterNewPost,
		newMediaObject,
		pingbackPing,
		wpGetPosts,
		listMethods,
		wrapCall(`<value><nil/></value>`, `<value><double>-0.5e3</double></value>`, `<value><i8>-9</i8></value>`),
		wrapCall(`<value><dateTime.iso8601>2026-11-30T10:20:30.5+01:00</dateTime.iso8601></value>`),
		wrapCall(nested(3, `<value><struct><member><name>&#xD;</name><value><base64>aGk</base64></value></member></struct></value>`)),
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodCall><methodName>m</methodName><params><param><value>\xe9</value></param></params></methodCall>",
		`<!DOCTYPE m [<!ENTITY e "x">]><methodCall><methodName>&e;</methodName></methodCall>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		method, params, err := DecodeCall(bytes.NewReader(data))
		if err != nil {
			var fault *Fault
			if !errors.As(err, &fault) || (fault.Code != CodeParseError && fault.Code != CodeUnsupportedEncoding) {
				t.Fatalf("error %v is not a parse fault", err)
			}
			return
		}
		var first bytes.Buffer
		if err := EncodeCall(&first, method, params...); err != nil {
			t.Fatalf("decoded call does not re-encode: %v", err)
		}
		method2, params2, err := DecodeCall(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("re-encoded call does not decode: %v\n%s", err, first.Bytes())
		}
		if method2 != method || len(params2) != len(params) {
			t.Fatalf("round trip changed the call: %q/%d -> %q/%d", method, len(params), method2, len(params2))
		}
		// Encoding is a fixed point after one round: the second encoding
		// of the same values must be byte-for-byte identical.
		var second bytes.Buffer
		if err := EncodeCall(&second, method2, params2...); err != nil {
			t.Fatalf("second encode: %v", err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("encoding not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
		}
	})
}
