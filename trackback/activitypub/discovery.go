package activitypub

// WebFinger is a JRD answer (RFC 7033).
type WebFinger struct {
	Subject string          `json:"subject"`
	Aliases []string        `json:"aliases,omitempty"`
	Links   []WebFingerLink `json:"links"`
}

// WebFingerLink is one link of a JRD.
type WebFingerLink struct {
	Rel  string `json:"rel"`
	Type string `json:"type,omitempty"`
	Href string `json:"href,omitempty"`
}

// NewWebFinger is the JRD of an actor: its self link and its profile page.
func NewWebFinger(subject, actorID, profile string) WebFinger {
	return WebFinger{Subject: subject, Aliases: []string{actorID, profile}, Links: []WebFingerLink{
		{Rel: "self", Type: ContentType, Href: actorID},
		{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: profile},
	}}
}

// NodeInfo schema 2.1.
const (
	NodeInfoRel         = "http://nodeinfo.diaspora.software/ns/schema/2.1"
	NodeInfoContentType = `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`
)

// NodeInfoLinks is /.well-known/nodeinfo.
type NodeInfoLinks struct {
	Links []WebFingerLink `json:"links"`
}

// NodeInfo is the /nodeinfo/2.1 document.
type NodeInfo struct {
	Version           string           `json:"version"`
	Software          NodeInfoSoftware `json:"software"`
	Protocols         []string         `json:"protocols"`
	Services          NodeInfoServices `json:"services"`
	OpenRegistrations bool             `json:"openRegistrations"`
	Usage             NodeInfoUsage    `json:"usage"`
	Metadata          map[string]any   `json:"metadata"`
}

// NodeInfoSoftware names the software.
type NodeInfoSoftware struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository,omitempty"`
	Homepage   string `json:"homepage,omitempty"`
}

// NodeInfoServices lists bridges; Crosstalk has none but its feeds.
type NodeInfoServices struct {
	Inbound  []string `json:"inbound"`
	Outbound []string `json:"outbound"`
}

// NodeInfoUsage counts users and posts.
type NodeInfoUsage struct {
	Users      NodeInfoUsers `json:"users"`
	LocalPosts int64         `json:"localPosts"`
}

// NodeInfoUsers counts users.
type NodeInfoUsers struct {
	Total          int64 `json:"total"`
	ActiveHalfyear int64 `json:"activeHalfyear"`
	ActiveMonth    int64 `json:"activeMonth"`
}
