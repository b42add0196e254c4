package models

import (
	"strings"
	"time"
)

// FeedbackKind says how a reader's response arrived.
type FeedbackKind string

// Feedback kinds: one moderation queue holds them all.
const (
	FeedbackComment    FeedbackKind = "comment"
	FeedbackTrackBack  FeedbackKind = "trackback"
	FeedbackPingback   FeedbackKind = "pingback"
	FeedbackWebmention FeedbackKind = "webmention"
	// FeedbackFediverse is a reply, like or boost from the fediverse
	// (ActivityPub); ResponseType says which.
	FeedbackFediverse FeedbackKind = "fediverse"
)

// FeedbackKinds lists the kinds in display order.
var FeedbackKinds = []FeedbackKind{FeedbackComment, FeedbackTrackBack, FeedbackPingback, FeedbackWebmention, FeedbackFediverse}

// ModerationStatus is an item's place in the queue.
type ModerationStatus string

// Moderation statuses, the tabs of the queue.
const (
	ModPending  ModerationStatus = "pending"
	ModApproved ModerationStatus = "approved"
	ModSpam     ModerationStatus = "spam"
	ModTrash    ModerationStatus = "trash"
)

// ModerationStatuses lists the statuses in tab order.
var ModerationStatuses = []ModerationStatus{ModPending, ModApproved, ModSpam, ModTrash}

// Valid reports whether s is a known status.
func (s ModerationStatus) Valid() bool {
	for _, m := range ModerationStatuses {
		if m == s {
			return true
		}
	}
	return false
}

// Valid reports whether k is a known kind.
func (k FeedbackKind) Valid() bool {
	for _, m := range FeedbackKinds {
		if m == k {
			return true
		}
	}
	return false
}

// HasAuthorCard reports a response that names its author with a profile
// and an avatar (a parsed Webmention, a fediverse reply or reaction): a
// reply is shown as a comment, a like or boost as a face.
func (f *Feedback) HasAuthorCard() bool {
	return f.Kind == FeedbackWebmention || f.Kind == FeedbackFediverse
}

// Verification states of a linkback: whether its source really links here.
const (
	VerificationPending  = "unverified"
	VerificationVerified = "verified"
	VerificationFailed   = "failed"
	// VerificationRecheck: a verified Webmention was sent again and its
	// source is being fetched anew; until then it keeps showing as verified.
	VerificationRecheck = "verified, re-checking"
)

// Limits on a reader's comment.
const (
	MaxCommentLen    = 10000
	MaxAuthorNameLen = 100
	MaxEmailLen      = 254
	MaxURLLen        = 2048
)

// Feedback is a comment, TrackBack, Pingback or Webmention on a post. For
// linkbacks SourceURL is the linking page, Title its title and AuthorName the
// blog's name; for comments they are the reader's details.
type Feedback struct {
	ID          int64
	PostID      int64
	Kind        FeedbackKind
	Status      ModerationStatus
	AuthorName  string
	AuthorEmail string
	SourceURL   string `gorm:"column:source_url"`
	// TargetURL is the address a Webmention named; empty for other kinds.
	TargetURL string `gorm:"column:target_url"`
	// StatusToken names a Webmention's public status page; empty for other kinds.
	StatusToken  string `gorm:"column:status_token"`
	Title        string
	Content      string
	IP           string `gorm:"column:ip"`
	UserAgent    string
	Verification string
	// VerifyAttempts and VerifyAfter pace the retries of a source check.
	VerifyAttempts int
	VerifyAfter    *time.Time
	// What a verified Webmention's source says of itself (its h-entry):
	// the response type (empty until parsed), the author's page and photo
	// (the remote address, recorded, never shown: the avatar is served from
	// AvatarPath), the entry's own date, and the stored avatar's hash
	// (empty: no avatar, a placeholder is shown).
	ResponseType      ResponseType `gorm:"column:response_type"`
	AuthorURL         string       `gorm:"column:author_url"`
	AuthorPhoto       string       `gorm:"column:author_photo"`
	SourcePublishedAt *time.Time   `gorm:"column:source_published_at"`
	AvatarSHA256      string       `gorm:"column:avatar_sha256"`
	// ParentID threads a reply under another comment; NotifyReplies is the
	// commenter's opt-in to hear of replies.
	ParentID      *int64
	NotifyReplies bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName keeps the table name singular, as the migrations create it.
func (Feedback) TableName() string { return "feedback" }

// QueueItem is a queue row with the title and path of its post.
type QueueItem struct {
	Feedback
	PostTitle string
	PostPath  string `gorm:"-"`
	// ParentAuthor names the commenter a reply answers ("in reply to").
	ParentAuthor string
}

// QueueFilter selects one page of the moderation queue, newest first.
type QueueFilter struct {
	// Status empty means pending and approved, as WordPress lists comments.
	Status   ModerationStatus
	Kind     FeedbackKind // empty: all kinds
	PostID   int64        // zero: all posts
	BeforeID int64        // keyset: items with a smaller id; zero for the first page
	Offset   int          // skips items (XML-RPC clients page by offset)
	Limit    int
}

// ValidateComment checks a reader's comment.
func (f *Feedback) ValidateComment() error {
	var ve ValidationError
	f.AuthorName = strings.TrimSpace(f.AuthorName)
	f.AuthorEmail = strings.TrimSpace(f.AuthorEmail)
	f.SourceURL = strings.TrimSpace(f.SourceURL)
	f.Content = strings.TrimSpace(f.Content)
	switch {
	case f.AuthorName == "":
		ve.Add("name", "Please give your name.")
	case len([]rune(f.AuthorName)) > MaxAuthorNameLen:
		ve.Add("name", "The name is too long.")
	}
	if f.AuthorEmail != "" && (len(f.AuthorEmail) > MaxEmailLen || !strings.Contains(f.AuthorEmail, "@")) {
		ve.Add("email", "That does not look like an email address.")
	}
	if f.SourceURL != "" && !IsWebURL(f.SourceURL) {
		ve.Add("url", "Give a web address starting with http:// or https://.")
	}
	switch {
	case f.Content == "":
		ve.Add("content", "The comment is empty.")
	case len([]rune(f.Content)) > MaxCommentLen:
		ve.Add("content", "The comment is longer than 10,000 characters.")
	}
	return ve.OrNil()
}

// ValidateLinkback checks a linkback edited by the blog's owner: its source
// must stay a web address and its fields within the limits pings have.
func (f *Feedback) ValidateLinkback() error {
	var ve ValidationError
	if !IsWebURL(f.SourceURL) {
		ve.Add("url", "The source must be a web address starting with http:// or https://.")
	}
	if len([]rune(f.AuthorName)) > MaxAuthorNameLen {
		ve.Add("name", "The blog name is too long.")
	}
	if len([]rune(f.Content)) > MaxCommentLen {
		ve.Add("content", "The excerpt is longer than 10,000 characters.")
	}
	return ve.OrNil()
}
