package activitypub

import "testing"

// FuzzDecodeIncoming feeds arbitrary inbox bodies through the decoding the
// inbox does before it touches the store: it must never panic, and what it
// accepts must have a type and an http(s) actor.
func FuzzDecodeIncoming(f *testing.F) {
	for _, s := range []string{
		`{"id":"https://m.test/1","type":"Follow","actor":"https://m.test/users/a","object":"https://blog.test/ap/blog"}`,
		`{"type":"Create","actor":{"id":"https://m.test/users/a"},"object":{"type":"Note","inReplyTo":["https://blog.test/2026/11/x"],"content":"<p>hi</p>"}}`,
		`{"type":"Undo","actor":"https://m.test/users/a","object":{"type":"Like","object":{"id":"x"}}}`,
		`[]`, `null`, `{"type":1}`, `{"actor":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := DecodeIncoming(body)
		if err != nil {
			return
		}
		if in.Type == "" || !IsHTTPURL(string(in.Actor)) {
			t.Fatalf("accepted %q", body)
		}
		_ = in.ObjectID()
		if o := in.EmbeddedObject(); o != nil {
			_ = PlainText(o.Content)
		}
		_ = in.EmbeddedActivity()
	})
}
