package views

import (
	"html/template"

	"github.com/crosstalk/crosstalk/models"
)

// Layout is the data every page shares.
type Layout struct {
	Site      models.Site
	BaseURL   string
	Title     string
	Canonical string
	// Description feeds the meta description tag.
	Description string
	CSRFToken   string
	User        *models.User
	Flash       string
	// Pending is the moderation queue's pending count, for the admin navigation.
	Pending int
	// Feeds are extra alternate feeds (a tag's feed) besides the site's own.
	Feeds []Feed
	// Admin switches the admin navigation on.
	Admin bool
	// PingURL is the post's TrackBack URL, when it accepts pings: advertised
	// by <link rel="trackback"> and RDF, the trusted comment made by trackback.RDFBlock.
	PingURL string
	RDF     template.HTML
	// PingbackURL and WebmentionURL are the blog's endpoints, advertised
	// with PingURL.
	PingbackURL   string
	WebmentionURL string
	// NoIndex asks search engines to leave the page out.
	NoIndex bool
	// Menu is the header menu of published pages; Search is the query
	// the header's search box shows; Share feeds the link-preview tags.
	Menu   []MenuItem
	Search string
	Share  Share
	// Icon is the site icon's URL.
	Icon string
	// ActivityPubURL is the page's ActivityPub document (a post's object,
	// the blog's actor), advertised when the blog federates;
	// FediverseCreator the post's author's handle (@name@host), for
	// Mastodon's author attribution.
	ActivityPubURL   string
	FediverseCreator string
}

// Card is an h-card (microformats2): a name and a home page.
type Card struct {
	Name string
	URL  string
}

// SiteCard is the author card every h-entry of the blog carries: the blog
// itself, named by its title, at its home page (posts have no bylines yet).
func (l Layout) SiteCard() Card { return Card{Name: l.Site.Title, URL: l.BaseURL + "/"} }

// Entry is a post in a list with the author card its h-entry names, its
// teaser and byline.
type Entry struct {
	*models.Post
	Author Card
	// RemoteImages is the site's "Show images from other sites".
	RemoteImages bool
	Teaser       Teaser
	Byline       Byline
}

// Feed is one alternate feed link.
type Feed struct {
	Title string
	Type  string
	URL   string
}

// ListPage shows a page of posts: the home page, a tag or a month.
type ListPage struct {
	Layout
	Heading string
	Posts   []models.Post
	Page    int
	PrevURL string
	NextURL string
	Months  []models.MonthCount
	Empty   string
	IsHome  bool
	// Teasers and Bylines go with Posts, index for index (either may be
	// shorter: the whole text shows, no byline).
	Teasers []Teaser
	Bylines []Byline
	// Intro is a description under the heading (a category's, an author's bio).
	Intro string
}

// Entries are the listed posts as h-entries of the page's h-feed.
func (p ListPage) Entries() []Entry {
	out := make([]Entry, len(p.Posts))
	for i := range p.Posts {
		out[i] = Entry{Post: &p.Posts[i], Author: p.SiteCard(), RemoteImages: p.Site.RemoteImages}
		if i < len(p.Teasers) {
			out[i].Teaser = p.Teasers[i]
		} else {
			out[i].Teaser = Teaser{HTML: template.HTML(p.Posts[i].BodyHTML)} //nolint:gosec // G203: stored sanitised at save time
		}
		if i < len(p.Bylines) {
			out[i].Byline = p.Bylines[i]
		}
	}
	return out
}

// PostPage shows one post or page with its discussion.
type PostPage struct {
	Layout
	Post         *models.Post
	Comments     []models.Feedback
	Linkbacks    []models.Feedback
	CommentForm  CommentForm
	CommentsOpen bool
	// CommentPage is the page of comments shown (1 is the first in the
	// site's order); PrevURL and NextURL link the pages around it, and
	// NewestFirst names them ("Newer"/"Older comments").
	CommentPage         int
	CommentPrevURL      string
	CommentNextURL      string
	CommentsNewestFirst bool
	// Neighbours are the previous and next posts; Byline the author.
	Neighbours PostNeighbours
	Byline     Byline
	// Reactions are the likes, reposts and bookmarks received by
	// Webmention, shown as rows of faces under the post (replies are in
	// Comments, plain mentions in Linkbacks).
	Reactions []ReactionGroup
	// Threads are this page's comments as threads, replies nested under
	// their parents; Comments lists the threads' heads.
	Threads []CommentNode
}

// CommentNode is one comment in a thread with its replies.
type CommentNode struct {
	*models.Feedback
	// Depth is 1 for a thread's head; ReplyURL is empty where replies may
	// not nest deeper (or the post is closed to comments).
	Depth    int
	ReplyURL string
	// Permalink is the comment's address on its page (its u-url).
	Permalink string
	// AvatarURL is the generated picture (or Gravatar's, when the site
	// chose it); Webmention replies show their stored one instead.
	AvatarURL string
	// Pending marks the reader's own comment awaiting moderation, shown
	// to that reader only.
	Pending  bool
	Children []CommentNode
}

// PasswordPage asks for a protected post's password; it shows the title only.
type PasswordPage struct {
	Layout
	Post   *models.Post
	Action string
	Wrong  bool
}

// ReactionGroup is one row of faces: the post's likes, reposts or bookmarks.
type ReactionGroup struct {
	Type   models.ResponseType
	Label  string // "3 likes", "1 repost"
	People []models.Feedback
}

// CommentForm holds a reader's comment while it is checked.
type CommentForm struct {
	Name, Email, URL, Content string
	Errors                    map[string]string
	// ParentID is the comment replied to (0: a new thread), ReplyTo its
	// author's name and CancelURL the page without the reply.
	ParentID  int64
	ReplyTo   string
	CancelURL string
	// Remember and NotifyReplies are the reader's opt-ins.
	Remember, NotifyReplies bool
	// Throttled, when set, says the comment came too quickly (a 429 page).
	Throttled string
}

// ErrorPage explains an error to a reader.
type ErrorPage struct {
	Layout
	Status  int
	Heading string
	Message string
}

// WebmentionStatusPage tells a Webmention's sender where it stands.
type WebmentionStatusPage struct {
	Layout
	// Status is queued, verified, refused or approved; Summary says it in words.
	Status, Source, Target, Summary string
}

// WebmentionStatusJSON is the same status for clients asking for JSON.
type WebmentionStatusJSON struct {
	Status  string `json:"status"`
	Source  string `json:"source"`
	Target  string `json:"target"`
	Summary string `json:"summary"`
}

// LoginPage is the login form. Resume carries a form whose session expired,
// so the writer's text survives the new login.
type LoginPage struct {
	Layout
	Login  string
	Next   string
	Resume string
	Error  string
}

// SetupPage is the first-run form.
type SetupPage struct {
	Layout
	Token   string
	Name    string
	Email   string
	Title   string
	Tagline string
	Errors  map[string]string
}

// DashboardPage is the admin's front page.
type DashboardPage struct {
	Layout
	Published, Scheduled, DraftCount, Pending int
	// PendingReview counts contributors' posts submitted for review.
	PendingReview int
	Drafts        []models.Post
	Recent        []models.Post
}

// PostsPage lists posts or pages in the admin.
type PostsPage struct {
	Layout
	Kind    models.PostKind
	Status  models.PostStatus
	Posts   []models.Post
	Page    int
	PrevURL string
	NextURL string
}

// EditPage is the post editor.
type EditPage struct {
	Layout
	Form    PostForm
	Errors  map[string]string
	Preview template.HTML
	// Post is nil for a new post.
	Post *models.Post
	// Resumed says the text came back from an expired session and is not saved yet.
	Resumed bool
	// Notify lists the sites the post notifies.
	Notify NotifyList
	// Categories are every category, for the post's checkboxes; Zone
	// names the time zone the publication time is typed in.
	Categories []CategoryChoice
	Zone       string
	// Parents are the pages a page may sit under.
	Parents []models.Post
}

// CategoryChoice is one category checkbox of the editor.
type CategoryChoice struct {
	models.Category
	Depth   int
	Checked bool
}

// PostForm is what the editor submits, kept as typed so nothing is lost.
type PostForm struct {
	ID            int64
	Kind          string
	Title         string
	Slug          string
	Body          string
	Excerpt       string
	Tags          string
	Status        string
	PublishAt     string
	AllowComments bool
	AllowPings    bool
	PingURLs      string
	SkipLinks     []string
	// MenuOrder and ShowInMenu place a page in the header menu; MenuFields
	// says the form had them (a client without them leaves them as they are).
	MenuOrder  string
	ShowInMenu bool
	MenuFields bool
	// ParentID is the page this page sits under (0: none).
	ParentID int64
	// CategoryIDs are the post's ticked categories; NewCategory names
	// categories to create and file it under (comma separated).
	CategoryIDs []int64
	NewCategory string
	// NoFederate keeps the post off the fediverse.
	NoFederate bool
}

// NotifyList is the editor's list of the sites a post notifies: before
// publishing, what will be notified (each link may be left out); after, how
// each notification stands.
type NotifyList struct {
	PostID int64
	Rows   []NotifyRow
	// Refresh is where the list reloads itself from while notifications
	// are on their way; empty when none is.
	Refresh   string
	CSRFToken string
}

// NotifyRow is one target in the list of sites to notify.
type NotifyRow struct {
	// ID is 0 before the notification is queued.
	ID  int64
	URL string
	// Direct marks a "Send TrackBacks to" URL.
	Direct bool
	// Protocol is TrackBack, Pingback or Webmention; empty before discovery.
	Protocol string
	// State is the stored state, or "pending" or "skipped" before publishing.
	State string
	// Label says the state in words.
	Label    string
	Message  string
	When     string
	Skipped  bool
	CanSkip  bool
	CanRetry bool
}

// NotifyPage lists how the notifications of one post stand; the editor
// reloads its list from it.
type NotifyPage struct {
	Layout
	Post   *models.Post
	Notify NotifyList
}

// QueuePage is the moderation queue.
type QueuePage struct {
	Layout
	Status   models.ModerationStatus
	Kind     models.FeedbackKind
	PostID   int64
	Counts   map[models.ModerationStatus]int
	Items    []models.QueueItem
	NextURL  string
	Statuses []models.ModerationStatus
	Kinds    []models.FeedbackKind
	// Actions are the per-item buttons: every status but the tab's own.
	Actions []QueueAction
	// PostTitle is the post filter as typed (or the filtered post's title);
	// Matches lists the posts it could mean when it is not one.
	PostTitle string
	Matches   []models.Post
	NoMatch   bool
}

// QueueAction is a moderation button: the status it moves items to and
// its label, a verb ("Approve", "Mark as spam").
type QueueAction struct {
	Status models.ModerationStatus
	Label  string
}

// SettingsPage edits the site settings.
type SettingsPage struct {
	Layout
	// CommentsPerPage is how many comments a post page shows.
	CommentsPerPage int
	Form            models.Site
	BlockList       string
	Errors          map[string]string
	Saved           bool
	// Timezones are suggested zone names; DateFormats the formats offered.
	Timezones   []string
	DateFormats []DateFormatChoice
	// Email is the Email fieldset, a form of its own.
	Email EmailSettingsForm
}

// EmailSettingsForm shows how the blog sends email. The password is never
// shown: HasPassword says one is stored (kept unless a new one is typed).
type EmailSettingsForm struct {
	// URL is the stored mail server's URL without its password.
	URL         string
	HasPassword bool
	From        string
	// ByFlags says --smtp-url (or CROSSTALK_SMTP_URL) names the server,
	// which wins over these settings; FromByFlags the same of --smtp-from.
	ByFlags, FromByFlags bool
	// On says the blog can send email now (by the flags or these settings).
	On     bool
	Errors map[string]string
}

// DateFormatChoice is one date format of the settings, shown as an example.
type DateFormatChoice struct {
	Layout, Example string
	Selected        bool
}

// MediaPage lists uploaded media.
type MediaPage struct {
	Layout
	Items []MediaItem
	Error string
	// MaxUpload is the size limit, written for people ("10 MiB").
	MaxUpload string
	PrevURL   string
	NextURL   string
}

// MediaItem is one uploaded file.
type MediaItem struct {
	ID       int64
	Name     string
	URL      string
	Type     string
	Size     int64
	Uploaded string
}

// ConfirmPage asks before something that cannot be undone, so it works
// without JavaScript.
type ConfirmPage struct {
	Layout
	Heading, Message, Action, Button, Cancel string
}

// AppPasswordsPage lists a user's application passwords for remote clients.
type AppPasswordsPage struct {
	Layout
	Items []models.AppPassword
	// NewToken is shown once, right after it is made.
	NewToken string
	// Name and Errors hold a refused form.
	Name   string
	Errors map[string]string
	// Endpoint and RSD are what to give a blog editor.
	Endpoint string
	RSD      string
}
