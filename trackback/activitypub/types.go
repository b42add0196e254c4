package activitypub

import (
	"bytes"
	"encoding/json"
	"time"
)

// Well-known names.
const (
	// ContentType is how documents are served and posted.
	ContentType = "application/activity+json"
	// LDContentType is the other media type that asks for a document.
	LDContentType = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	// Public is the audience "everyone".
	Public = "https://www.w3.org/ns/activitystreams#Public"
	// ASContext is the ActivityStreams context, spelt exactly as Mastodon wants.
	ASContext = "https://www.w3.org/ns/activitystreams"
)

// Context is the @context of the documents Crosstalk publishes.
var Context = []any{ASContext, "https://w3id.org/security/v1", map[string]any{
	"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
	"toot":                      "http://joinmastodon.org/ns#",
	"discoverable":              "toot:discoverable",
	"attributionDomains":        map[string]string{"@id": "toot:attributionDomains", "@type": "@id"},
	"Hashtag":                   "as:Hashtag",
	"sensitive":                 "as:sensitive",
}}

// Actor is a person or the blog itself (Service), as published and as
// fetched; fetched ones fill only what Crosstalk reads.
type Actor struct {
	Context           any        `json:"@context,omitempty"`
	ID                string     `json:"id"`
	Type              string     `json:"type"`
	PreferredUsername string     `json:"preferredUsername"`
	Name              string     `json:"name,omitempty"`
	Summary           string     `json:"summary,omitempty"`
	URL               Link       `json:"url,omitempty"`
	Icon              *Image     `json:"icon,omitempty"`
	Inbox             string     `json:"inbox"`
	Outbox            string     `json:"outbox,omitempty"`
	Followers         string     `json:"followers,omitempty"`
	Following         string     `json:"following,omitempty"`
	Endpoints         *Endpoints `json:"endpoints,omitempty"`
	PublicKey         *PublicKey `json:"publicKey,omitempty"`
	// ManuallyApprovesFollowers is false: follows are accepted at once.
	ManuallyApprovesFollowers bool `json:"manuallyApprovesFollowers"`
	Discoverable              bool `json:"discoverable,omitempty"`
	// AttributionDomains are the sites whose pages may credit the actor
	// (Mastodon's author attribution, read with fediverse:creator).
	AttributionDomains []string `json:"attributionDomains,omitempty"`
}

// Endpoints holds the shared inbox.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox,omitempty"`
}

// PublicKey is an actor's key.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// Image is an icon or an attached picture.
type Image struct {
	Type      string `json:"type"`
	MediaType string `json:"mediaType,omitempty"`
	URL       Link   `json:"url"`
	Name      string `json:"name,omitempty"`
}

// Tag is a Hashtag (or a Mention, read and ignored).
type Tag struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Href string `json:"href,omitempty"`
}

// Object is an Article Crosstalk publishes, a Note it receives, or a
// Tombstone.
type Object struct {
	Context      any        `json:"@context,omitempty"`
	ID           string     `json:"id"`
	Type         string     `json:"type"`
	AttributedTo Link       `json:"attributedTo,omitempty"`
	InReplyTo    Link       `json:"inReplyTo,omitempty"`
	Name         string     `json:"name,omitempty"`
	Summary      string     `json:"summary,omitempty"`
	Content      string     `json:"content,omitempty"`
	MediaType    string     `json:"mediaType,omitempty"`
	URL          Link       `json:"url,omitempty"`
	Published    *time.Time `json:"published,omitempty"`
	Updated      *time.Time `json:"updated,omitempty"`
	To           []string   `json:"to,omitempty"`
	CC           []string   `json:"cc,omitempty"`
	Tag          []Tag      `json:"tag,omitempty"`
	Attachment   []Image    `json:"attachment,omitempty"`
}

// Activity is Create, Update, Delete, Follow, Accept, Reject, Undo, Like,
// Announce. Object holds an id (a string) or an embedded document.
type Activity struct {
	Context   any        `json:"@context,omitempty"`
	ID        string     `json:"id"`
	Type      string     `json:"type"`
	Actor     Link       `json:"actor"`
	Object    any        `json:"object,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	To        []string   `json:"to,omitempty"`
	CC        []string   `json:"cc,omitempty"`
}

// OrderedCollection is an outbox or a followers list, with its items inline
// (Crosstalk's collections are small) or only its size.
type OrderedCollection struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	TotalItems   int    `json:"totalItems"`
	OrderedItems []any  `json:"orderedItems,omitempty"`
}

// Link is an IRI written as a string, an object with an id or href, or an
// array of those (the first is kept). It is written back as a string.
type Link string

// UnmarshalJSON reads any of those forms; anything else leaves it empty.
func (l *Link) UnmarshalJSON(b []byte) error {
	*l = ""
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err == nil {
			*l = Link(s)
		}
	case b[0] == '{':
		var o struct {
			ID   string `json:"id"`
			Href string `json:"href"`
			URL  *Link  `json:"url"`
		}
		if json.Unmarshal(b, &o) == nil {
			switch {
			case o.ID != "":
				*l = Link(o.ID)
			case o.Href != "":
				*l = Link(o.Href)
			case o.URL != nil:
				*l = *o.URL
			}
		}
	case b[0] == '[':
		var list []Link
		if json.Unmarshal(b, &list) == nil {
			for _, v := range list {
				if v != "" {
					*l = v
					break
				}
			}
		}
	}
	return nil
}
