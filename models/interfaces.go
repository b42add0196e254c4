package models

import (
	"context"
	"time"
)

// PostFilter selects published posts for a listing, newest first.
type PostFilter struct {
	Kind    PostKind
	TagSlug string    // only posts with this tag
	From    time.Time // published at or after (zero: no bound)
	Until   time.Time // published before (zero: no bound)
	// CategoryIDs keeps posts filed under any of these categories (a
	// category and its descendants); AuthorID, posts by this user.
	CategoryIDs []int64
	AuthorID    int64
	Offset      int
	Limit       int
}

// PostStore keeps posts, pages and their tags. Consumers declare the few
// methods they call (models/posts, handlers/xmlrpcapi, jobs.Publisher).
type PostStore interface {
	PostWriter
	PostReader
	EditorStashes
}

// PostWriter saves posts. Only the post service (models/posts) calls these:
// every writer (editor, XML-RPC, scheduled publishing) goes through it, so
// slugs, tags and the change hooks are handled in one place.
type PostWriter interface {
	CreatePost(ctx context.Context, p *Post, tags []string) error
	UpdatePost(ctx context.Context, p *Post, tags []string) error
	UpdateDraft(ctx context.Context, p *Post, tags []string) error
	DeletePost(ctx context.Context, id int64) error
	// PublishDue publishes the scheduled posts whose time has come.
	PublishDue(ctx context.Context) ([]Post, error)
	// TrashPost, RestorePost and TrashedBefore are the trash (trash_store.go).
	TrashPost(ctx context.Context, id int64) error
	RestorePost(ctx context.Context, id int64) error
	TrashedBefore(ctx context.Context, cutoff time.Time, limit int) ([]int64, error)
}

// PostReader reads posts, pages and tags.
type PostReader interface {
	PostByID(ctx context.Context, id int64) (*Post, error)
	// PostHeadByID is PostByID without the text, ping lists and tags.
	PostHeadByID(ctx context.Context, id int64) (*Post, error)
	PostBySlug(ctx context.Context, kind PostKind, slug string) (*Post, error)
	RedirectedPost(ctx context.Context, oldSlug string) (*Post, error)
	PublishedPosts(ctx context.Context, f PostFilter) ([]Post, error)
	AdminPosts(ctx context.Context, kind PostKind, status PostStatus, offset, limit int) ([]Post, error)
	PostsByTitle(ctx context.Context, text string, limit int) ([]Post, error)
	PostCounts(ctx context.Context) (map[PostStatus]int, error)
	TagBySlug(ctx context.Context, slug string) (*Tag, error)
	// Tags lists every tag by name (XML-RPC clients show them as categories).
	Tags(ctx context.Context) ([]Tag, error)
	// RecentPosts lists posts of any status, newest first by publication
	// (or creation) date, with bodies and tags: what blog editors list.
	RecentPosts(ctx context.Context, kind PostKind, limit int) ([]Post, error)
	Months(ctx context.Context) ([]MonthCount, error)
	// Revisions and RevisionByID read the revisions saves keep (revision.go).
	Revisions(ctx context.Context, postID int64) ([]Revision, error)
	RevisionByID(ctx context.Context, postID, id int64) (*Revision, error)
	// SharePreview and PostByPreviewToken are shareable previews (preview_store.go).
	SharePreview(ctx context.Context, postID int64) (string, error)
	PostByPreviewToken(ctx context.Context, token string) (*Post, error)
}

// ReaderStore reads what the reader-facing pages need beside posts: the
// header menu, previous and next posts, authors, categories, search and
// the sitemap.
type ReaderStore interface {
	MenuPages(ctx context.Context) ([]Post, error)
	AdjacentPosts(ctx context.Context, p *Post) (prev, next *Post, err error)
	AuthorByName(ctx context.Context, name string) (*User, error)
	Authors(ctx context.Context) ([]User, error)
	Categories(ctx context.Context) ([]Category, error)
	UsedCategories(ctx context.Context) ([]Category, error)
	UsedTags(ctx context.Context) ([]Tag, error)
	CategoryBySlug(ctx context.Context, slug string) (*Category, error)
	SaveCategory(ctx context.Context, c *Category) error
	SetPostCategories(ctx context.Context, postID int64, categoryIDs []int64) error
	LoadCategories(ctx context.Context, posts []*Post) error
	Search(ctx context.Context, terms []SearchTerm, offset, limit int) (SearchResults, error)
	CountPublished(ctx context.Context) (int, error)
	PublishedAddresses(ctx context.Context, offset, n int) ([]Post, error)
	LastPublished(ctx context.Context) (time.Time, error)
}

// FeedbackStore keeps the moderation queue.
type FeedbackStore interface {
	// AddFeedback stores f; for a linkback already stored from the same source
	// to the same post it stores nothing and reports created false.
	AddFeedback(ctx context.Context, f *Feedback) (created bool, err error)
	ApprovedFeedback(ctx context.Context, postID int64) ([]Feedback, error)
	// CommentThreads lists one page of a post's comment threads (readers'
	// comments and Webmention replies heading them, in id order or newest
	// first) and every shown reply under them, oldest first.
	CommentThreads(ctx context.Context, postID int64, newestFirst bool, offset, limit int) (roots, replies []Feedback, err error)
	// ThreadsBefore counts the threads shown before the one rootID heads.
	ThreadsBefore(ctx context.Context, postID, rootID int64, newestFirst bool) (int, error)
	// ReplyThread places a reply to parentID within maxDepth; a parent the
	// post page does not show is a ValidationError on "parent".
	ReplyThread(ctx context.Context, postID, parentID int64, maxDepth int) (Thread, error)
	// ApprovedLinkbacks lists the rest of what the post page shows (at most
	// MaxShownLinkbacks, oldest first).
	ApprovedLinkbacks(ctx context.Context, postID int64) ([]Feedback, error)
	// FeedbackByID finds one item with the title and path of its post.
	FeedbackByID(ctx context.Context, id int64) (*QueueItem, error)
	// UpdateFeedback saves an edited item's status, author and content.
	UpdateFeedback(ctx context.Context, f *Feedback) error
	Queue(ctx context.Context, f QueueFilter) ([]QueueItem, error)
	QueueCounts(ctx context.Context, kind FeedbackKind, postID int64) (map[ModerationStatus]int, error)
	SetFeedbackStatus(ctx context.Context, status ModerationStatus, ids ...int64) error
	DeleteFeedback(ctx context.Context, ids ...int64) error
	PurgeFeedback(ctx context.Context, cutoff time.Time) (int64, error)
	HasLinkback(ctx context.Context, postID int64, kind FeedbackKind, source string) (bool, error)
	// SaveWebmention stores a Webmention or asks for the one already stored
	// from the same source to the same post to be checked again.
	SaveWebmention(ctx context.Context, f *Feedback) (created bool, err error)
	// WebmentionByToken finds a Webmention by its status page token.
	WebmentionByToken(ctx context.Context, token string) (*Feedback, error)
	// ApprovedFromSite reports whether a verified linkback from the same
	// scheme and host was approved before.
	ApprovedFromSite(ctx context.Context, sourceURL string) (bool, error)
	// ShownAvatar finds the stored author picture of a linkback the post
	// page shows (ErrNotFound: none, or the linkback is not shown).
	ShownAvatar(ctx context.Context, feedbackID int64) (*Avatar, error)
}

// UserStore keeps admin accounts.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByLogin(ctx context.Context, nameOrEmail string) (*User, error)
	SetPasswordHash(ctx context.Context, id int64, hash string) error
	EndSessions(ctx context.Context, id int64) error
	CountUsers(ctx context.Context) (int64, error)
	// The Users screen, profiles and password resets (user_admin_store.go).
	Users(ctx context.Context) ([]User, error)
	UpdateProfile(ctx context.Context, u *User) error
	DeleteUser(ctx context.Context, id, reassignTo int64) error
	AddPasswordReset(ctx context.Context, userID int64, tokenHash string, expires time.Time) error
	PasswordResetUser(ctx context.Context, tokenHash string) (*User, error)
	ResetPassword(ctx context.Context, tokenHash, passwordHash string) (*User, error)
	IssuePasswordReset(ctx context.Context, userID int64, baseURL string) (string, error)
}

// AppPasswordStore keeps the application passwords remote clients log in with.
type AppPasswordStore interface {
	CreateAppPassword(ctx context.Context, p *AppPassword) error
	AppPasswords(ctx context.Context, userID int64) ([]AppPassword, error)
	DeleteAppPassword(ctx context.Context, userID, id int64) error
	UseAppPassword(ctx context.Context, userID int64, token string) (*AppPassword, error)
}

// MediaStore keeps uploaded files.
type MediaStore interface {
	AddMedia(ctx context.Context, m *Media) (created bool, err error)
	MediaByID(ctx context.Context, id int64) (*Media, error)
	MediaList(ctx context.Context, offset, limit int) ([]Media, error)
	DeleteMedia(ctx context.Context, id int64) error
	MediaVariant(ctx context.Context, id int64, width int) (*MediaVariant, error)
	MediaSize(ctx context.Context, id int64) (MediaSize, error)
}

// NotificationStore keeps the outbox of linkback notifications. Publishing
// a post queues them (CreatePost, UpdatePost, PublishDue); the background
// workers claim, send and settle them.
type NotificationStore interface {
	ClaimNotifications(ctx context.Context, limit int, lease time.Duration, perHost int) ([]Notification, error)
	// StartSending marks n as on its way; ErrConflict means another link of
	// the same post already pinged this TrackBack URL.
	StartSending(ctx context.Context, n *Notification) (ok bool, err error)
	FinishNotification(ctx context.Context, n *Notification, r NotificationResult) (ok bool, err error)
	NextNotificationDue(ctx context.Context) (at time.Time, ok bool, err error)
	PostNotifications(ctx context.Context, postID int64) ([]Notification, error)
	RetryNotification(ctx context.Context, id int64) (n *Notification, retried bool, err error)
}

// SettingStore keeps key/value settings.
type SettingStore interface {
	Settings(ctx context.Context) (map[string]string, error)
	SetSettings(ctx context.Context, values map[string]string) error
}

var (
	_ PostStore         = (*Store)(nil)
	_ FeedbackStore     = (*Store)(nil)
	_ ReaderStore       = (*Store)(nil)
	_ UserStore         = (*Store)(nil)
	_ SettingStore      = (*Store)(nil)
	_ AppPasswordStore  = (*Store)(nil)
	_ MediaStore        = (*Store)(nil)
	_ NotificationStore = (*Store)(nil)
)
