package activitypub

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Signature errors. Each means the request is not authenticated (401).
var (
	ErrUnsigned      = errors.New("activitypub: request is not signed")
	ErrBadSignature  = errors.New("activitypub: malformed Signature header")
	ErrUnsignedField = errors.New("activitypub: signature does not cover the required headers")
	ErrDate          = errors.New("activitypub: Date missing or outside the accepted window")
	ErrDigest        = errors.New("activitypub: Digest missing or not matching the body")
	ErrForged        = errors.New("activitypub: signature does not verify")
)

// Date window, as Mastodon checks it (app/lib/signed_request.rb): a
// signature is valid for five minutes after its Date, with an hour of
// clock skew either way.
const (
	signatureLifetime = 5 * time.Minute
	clockSkew         = time.Hour
)

// Signer signs requests for one actor's key.
type Signer struct {
	// KeyID is the key's id: the actor's id and "#main-key".
	KeyID string
	Key   *rsa.PrivateKey
}

// Sign sets Host, Date, Digest (for a POST) and Signature on r, whose body
// is body. A retry must be signed again: the Date moves on.
func (s Signer) Sign(r *http.Request, body []byte, now time.Time) error {
	if s.Key == nil {
		return errors.New("activitypub: no signing key")
	}
	// Go keeps Host outside r.Header: set it so it is signed as sent.
	r.Header.Set("Host", r.URL.Host)
	r.Host = r.URL.Host
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	headers := []string{"(request-target)", "host", "date"}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		r.Header.Set("Digest", Digest(body))
		headers = append(headers, "digest")
	}
	str := signingString(headers, r, requestTarget(r, true))
	sum := sha256.Sum256([]byte(str))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.Key, crypto.SHA256, sum[:])
	if err != nil {
		return err
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="rsa-sha256",headers="%s",signature="%s"`,
		s.KeyID, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}

// Digest is the Digest header of body: "SHA-256=" and its base64 hash.
func Digest(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// SignedRequest is a request whose Signature header is well formed, whose
// Date is in the window and whose Digest matches its body: what is left is
// to check the signature with the key KeyID names (Verify).
type SignedRequest struct {
	KeyID     string
	signature []byte
	// strings are the signing strings to try: with the query, then without
	// (Mastodon signs the path alone).
	strings []string
}

// ParseRequest checks the parts of a signed request that need no key: the
// Signature header (rsa-sha256 or hs2019), that it covers (request-target),
// host, date and, for a POST, digest; the Date window; and the Digest of
// body. Every error is one of the Err values above.
func ParseRequest(r *http.Request, body []byte, now time.Time) (*SignedRequest, error) {
	raw := r.Header.Get("Signature")
	if raw == "" {
		return nil, ErrUnsigned
	}
	params, err := parseParams(raw)
	if err != nil {
		return nil, err
	}
	if alg := strings.ToLower(params["algorithm"]); alg != "" && alg != "rsa-sha256" && alg != "hs2019" {
		return nil, fmt.Errorf("%w: algorithm %q", ErrBadSignature, alg)
	}
	sig, err := base64.StdEncoding.DecodeString(params["signature"])
	if err != nil || len(sig) == 0 || params["keyId"] == "" {
		return nil, ErrBadSignature
	}
	headers := strings.Fields(strings.ToLower(params["headers"]))
	if len(headers) == 0 {
		headers = []string{"date"} // the draft's default
	}
	need := []string{"(request-target)", "host", "date"}
	if r.Method == http.MethodPost {
		need = append(need, "digest")
	}
	for _, h := range need {
		if !contains(headers, h) {
			return nil, fmt.Errorf("%w: %s", ErrUnsignedField, h)
		}
	}
	if err := checkDate(r.Header.Get("Date"), now); err != nil {
		return nil, err
	}
	if r.Method == http.MethodPost && !digestMatches(r.Header.Values("Digest"), body) {
		return nil, ErrDigest
	}
	sr := &SignedRequest{KeyID: params["keyId"], signature: sig}
	sr.strings = append(sr.strings, signingString(headers, r, requestTarget(r, true)))
	if r.URL.RawQuery != "" {
		sr.strings = append(sr.strings, signingString(headers, r, requestTarget(r, false)))
	}
	return sr, nil
}

// Verify checks the signature with key; ErrForged if it does not verify.
func (sr *SignedRequest) Verify(key *rsa.PublicKey) error {
	for _, s := range sr.strings {
		sum := sha256.Sum256([]byte(s))
		if rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sr.signature) == nil {
			return nil
		}
	}
	return ErrForged
}

func checkDate(raw string, now time.Time) error {
	if raw == "" {
		return ErrDate
	}
	t, err := http.ParseTime(raw)
	if err != nil {
		return ErrDate
	}
	if t.Add(signatureLifetime).Before(now.Add(-clockSkew)) || t.After(now.Add(clockSkew)) {
		return ErrDate
	}
	return nil
}

// digestMatches reports whether one SHA-256 value among the Digest
// headers is the body's hash.
func digestMatches(values []string, body []byte) bool {
	want := strings.TrimPrefix(Digest(body), "SHA-256=")
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			alg, val, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && strings.EqualFold(alg, "sha-256") && val == want {
				return true
			}
		}
	}
	return false
}

func requestTarget(r *http.Request, withQuery bool) string {
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	if withQuery && r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	return strings.ToLower(r.Method) + " " + path
}

// signingString is the draft's string to sign: "name: value" lines joined
// by "\n", no trailing newline.
func signingString(headers []string, r *http.Request, target string) string {
	lines := make([]string, len(headers))
	for i, h := range headers {
		var v string
		switch h {
		case "(request-target)":
			v = target
		case "host":
			v = r.Host
			if v == "" {
				v = r.Header.Get("Host")
			}
		default:
			v = strings.Join(r.Header.Values(h), ", ")
		}
		lines[i] = h + ": " + v
	}
	return strings.Join(lines, "\n")
}

// parseParams reads key="value" pairs separated by commas.
func parseParams(s string) (map[string]string, error) {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; {
		k, rest, ok := strings.Cut(s, "=")
		if !ok || !strings.HasPrefix(rest, `"`) {
			return nil, ErrBadSignature
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, ErrBadSignature
		}
		out[strings.TrimSpace(k)] = rest[1 : end+1]
		s = strings.TrimSpace(rest[end+2:])
		s = strings.TrimSpace(strings.TrimPrefix(s, ","))
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// KeyOwner is the actor id a keyId belongs to by convention: the keyId
// without its fragment ("#main-key") or, for GoToSocial's stub keys, without
// a last "/main-key" segment. The owner named in the fetched key decides.
func KeyOwner(keyID string) string {
	id, _, _ := strings.Cut(keyID, "#")
	return strings.TrimSuffix(id, "/main-key")
}
