package activitypub

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
)

// MaxInboxBody caps an inbox POST, as Mastodon caps its own (1 MB).
const MaxInboxBody = 1 << 20

// ErrMalformed means an inbox body is not an activity Crosstalk can read
// (400).
var ErrMalformed = errors.New("activitypub: malformed activity")

// Incoming is an activity received in an inbox.
type Incoming struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Actor Link   `json:"actor"`
	// Object is kept raw: an id, or an embedded Note, Follow, Like…
	Object json.RawMessage `json:"object"`
}

// DecodeIncoming reads an inbox body: one JSON object with an http(s)
// actor and a type. Anything else is ErrMalformed.
func DecodeIncoming(body []byte) (*Incoming, error) {
	var in Incoming
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, ErrMalformed
	}
	if in.Type == "" || !IsHTTPURL(string(in.Actor)) {
		return nil, ErrMalformed
	}
	return &in, nil
}

// ObjectID is the id of the activity's object, embedded or named.
func (in *Incoming) ObjectID() string {
	var l Link
	_ = l.UnmarshalJSON(in.Object)
	return string(l)
}

// EmbeddedObject decodes an embedded object (a Note); nil when the
// object is only named by its id or is not an object.
func (in *Incoming) EmbeddedObject() *Object {
	b := bytes.TrimSpace(in.Object)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var o Object
	if json.Unmarshal(b, &o) != nil {
		return nil
	}
	return &o
}

// EmbeddedActivity decodes an embedded activity (the Follow an Undo
// takes back); nil when it is only named by its id.
func (in *Incoming) EmbeddedActivity() *Incoming {
	b := bytes.TrimSpace(in.Object)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var a Incoming
	if json.Unmarshal(b, &a) != nil {
		return nil
	}
	return &a
}

// IsHTTPURL reports an absolute http or https URL with a host.
func IsHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// Host is the lower-case host name of an IRI, without port; "" if none.
func Host(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// SameOrigin reports whether two IRIs share scheme, host and port: an
// actor may speak only for objects of its own server.
func SameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" &&
		strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}
