package models

import "time"

// Local actor names: the blog, and one per writer who can publish.
const (
	// BlogActor is the local actor name of the blog itself.
	BlogActor = "blog"
	// userActorPrefix starts a writer's local actor name ("users/LOGIN").
	userActorPrefix = "users/"
)

// UserActor is the local actor name of a writer.
func UserActor(login string) string { return userActorPrefix + login }

// Federates reports whether the role publishes posts, and so has a
// fediverse actor: administrators, editors and authors.
func (r Role) Federates() bool {
	return r == RoleAdministrator || r == RoleEditor || r == RoleAuthor
}

// APKey is a local actor's key pair, made on first use.
type APKey struct {
	LocalActor    string `gorm:"primaryKey"`
	PrivateKeyPem string `gorm:"column:private_key_pem"`
	PublicKeyPem  string `gorm:"column:public_key_pem"`
	CreatedAt     time.Time
}

// TableName is the migration's.
func (APKey) TableName() string { return "ap_keys" }

// Follower states.
const (
	FollowAccepted = "accepted"
	FollowBlocked  = "blocked"
)

// Follower is a remote actor following a local one.
type Follower struct {
	ID          int64
	LocalActor  string
	ActorID     string
	Inbox       string
	SharedInbox string
	// FollowID is the Follow activity's id, repeated in the Accept.
	FollowID  string
	State     string
	Blocked   bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName is the migration's.
func (Follower) TableName() string { return "ap_followers" }

// DeliveryInbox is where activities for the follower go: its server's
// shared inbox when it has one.
func (f *Follower) DeliveryInbox() string {
	if f.SharedInbox != "" {
		return f.SharedInbox
	}
	return f.Inbox
}

// RemoteActor is a fetched remote actor: its key, inboxes and face.
type RemoteActor struct {
	ID           string `gorm:"primaryKey"`
	KeyID        string
	Username     string
	Name         string
	Inbox        string
	SharedInbox  string
	PublicKeyPem string `gorm:"column:public_key_pem"`
	IconURL      string `gorm:"column:icon_url"`
	URL          string `gorm:"column:url"`
	FetchedAt    time.Time
}

// TableName is the migration's.
func (RemoteActor) TableName() string { return "ap_remote_actors" }

// APObject maps a remote reply (the Note's id) or reaction (the Like's or
// Announce's id) to the feedback row it became.
type APObject struct {
	RemoteID   string `gorm:"primaryKey"`
	ActorID    string
	Kind       ResponseType
	PostID     int64
	FeedbackID int64
	CreatedAt  time.Time
}

// TableName is the migration's.
func (APObject) TableName() string { return "ap_objects" }

// APPublished records that the fediverse holds a post: a Create was
// queued and no Delete since.
type APPublished struct {
	PostID     int64 `gorm:"primaryKey;autoIncrement:false"`
	LocalActor string
	ObjectID   string
	UpdatedAt  time.Time
}

// TableName is the migration's.
func (APPublished) TableName() string { return "ap_published" }

// APDelivery is one signed activity on its way to one inbox, kept in the
// outbox with the states, lease and retries of a Notification.
type APDelivery struct {
	ID            int64
	PostID        *int64
	LocalActor    string
	ActivityType  string
	Inbox         string
	Body          string
	State         NotificationState
	Attempts      int
	LeaseSeq      int
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	LastMessage   string
	SentAt        *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName is the migration's.
func (APDelivery) TableName() string { return "ap_deliveries" }
