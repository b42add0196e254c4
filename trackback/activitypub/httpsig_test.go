package activitypub

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	keyOnce           sync.Once
	testPriv, testPub string
)

func testKeys(t *testing.T) (Signer, string) {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		testPriv, testPub, err = NewKey()
		if err != nil {
			panic(err)
		}
	})
	k, err := ParsePrivateKey(testPriv)
	if err != nil {
		t.Fatal(err)
	}
	return Signer{KeyID: "https://peer.test/users/a#main-key", Key: k}, testPub
}

// received turns a signed outgoing request into what a server sees.
func received(t *testing.T, out *http.Request, body []byte) *http.Request {
	t.Helper()
	in := httptest.NewRequest(out.Method, out.URL.RequestURI(), bytes.NewReader(body))
	in.Host = out.Host
	for k, v := range out.Header {
		in.Header[k] = v
	}
	return in
}

func TestSignVerify(t *testing.T) {
	signer, pubPEM := testKeys(t)
	pub, err := ParsePublicKey(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"Follow"}`)
	tests := []struct {
		name   string
		mutate func(r *http.Request) []byte
		at     time.Time
		want   error
	}{
		{"valid", nil, now, nil},
		{"valid an hour later (clock skew)", nil, now.Add(time.Hour), nil},
		{"stale date", nil, now.Add(2 * time.Hour), ErrDate},
		{"date in the future", nil, now.Add(-2 * time.Hour), ErrDate},
		{"tampered body", func(*http.Request) []byte { return []byte(`{"type":"Undo"}`) }, now, ErrDigest},
		{"tampered body and digest", func(r *http.Request) []byte {
			b := []byte(`{"type":"Undo"}`)
			r.Header.Set("Digest", Digest(b))
			return b
		}, now, ErrForged},
		{"unsigned", func(r *http.Request) []byte { r.Header.Del("Signature"); return body }, now, ErrUnsigned},
		{"other host", func(r *http.Request) []byte { r.Host = "evil.test"; return body }, now, ErrForged},
		{"digest not signed", func(r *http.Request) []byte {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), " digest", "", 1))
			return body
		}, now, ErrUnsignedField},
		{"garbage header", func(r *http.Request) []byte { r.Header.Set("Signature", "nonsense"); return body }, now, ErrBadSignature},
		{"other algorithm", func(r *http.Request) []byte {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "rsa-sha256", "hmac-sha256", 1))
			return body
		}, now, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := http.NewRequest(http.MethodPost, "https://blog.test/ap/inbox", bytes.NewReader(body))
			if err := signer.Sign(out, body, now); err != nil {
				t.Fatal(err)
			}
			in := received(t, out, body)
			got := body
			if tt.mutate != nil {
				got = tt.mutate(in)
			}
			sr, err := ParseRequest(in, got, tt.at)
			if err == nil {
				err = sr.Verify(pub)
			}
			if (tt.want == nil) != (err == nil) || !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyOtherKeyFails(t *testing.T) {
	signer, _ := testKeys(t)
	_, otherPEM, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ParsePublicKey(otherPEM)
	now := time.Now()
	out, _ := http.NewRequest(http.MethodGet, "https://blog.test/ap/blog?x=1", nil)
	if err := signer.Sign(out, nil, now); err != nil {
		t.Fatal(err)
	}
	sr, err := ParseRequest(received(t, out, nil), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := sr.Verify(other); !errors.Is(err, ErrForged) {
		t.Fatalf("verify with another key: %v", err)
	}
}

func TestKeyOwner(t *testing.T) {
	for in, want := range map[string]string{
		"https://m.test/users/a#main-key": "https://m.test/users/a",
		"https://g.test/users/a/main-key": "https://g.test/users/a",
		"https://x.test/a":                "https://x.test/a",
	} {
		if got := KeyOwner(in); got != want {
			t.Errorf("KeyOwner(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkParseAndVerify is the signature work of one inbox POST with the
// key cached: what a burst of deliveries costs in CPU.
func BenchmarkParseAndVerify(b *testing.B) {
	priv, pubPEM, err := NewKey()
	if err != nil {
		b.Fatal(err)
	}
	key, _ := ParsePrivateKey(priv)
	pub, _ := ParsePublicKey(pubPEM)
	body := []byte(`{"type":"Like","actor":"https://m.test/users/a","object":"https://blog.test/2026/11/x"}`)
	now := time.Now()
	out, _ := http.NewRequest(http.MethodPost, "https://blog.test/ap/inbox", bytes.NewReader(body))
	if err := (Signer{KeyID: "https://m.test/users/a#main-key", Key: key}).Sign(out, body, now); err != nil {
		b.Fatal(err)
	}
	in := httptest.NewRequest(out.Method, out.URL.RequestURI(), bytes.NewReader(body))
	in.Host = out.Host
	in.Header = out.Header.Clone()
	b.ReportAllocs()
	for b.Loop() {
		sr, err := ParseRequest(in, body, now)
		if err != nil || sr.Verify(pub) != nil {
			b.Fatal(err)
		}
	}
}
