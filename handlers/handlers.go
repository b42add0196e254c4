// Package handlers is Crosstalk's HTTP layer: gin routes, middleware and thin
// handlers that parse a request, call one store method and render a view.
package handlers

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/sessions"

	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"github.com/crosstalk/crosstalk/handlers/pagecache"
	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/federation"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/views"
)

// Deps is everything the handlers need, built by cmd/crosstalk.
type Deps struct {
	Posts    models.PostStore
	Feedback models.FeedbackStore
	Users    models.UserStore
	Settings models.SettingStore
	// AppPasswords and Media serve remote publishing over XML-RPC.
	AppPasswords models.AppPasswordStore
	Media        models.MediaStore
	// Notifications is the outbox of linkback notifications.
	Notifications models.NotificationStore
	// PostService writes posts (editor, autosave, XML-RPC). Nil makes one on
	// Posts that wakes the outbox (WakeOutbox) when a post is published.
	PostService *posts.Service

	Views    *views.Views
	Assets   http.Handler
	Markdown *markup.Renderer
	Sessions sessions.Store
	Log      *slog.Logger

	// BaseURL is the public address without a trailing slash.
	BaseURL string
	// SetupToken opens the first-run page; it is refused once a user exists.
	SetupToken string
	// TrustedProxies may set X-Forwarded-For; none by default.
	TrustedProxies []string
	// MaxUploadBytes bounds one media file; 0 means models.DefaultMaxUploadBytes.
	MaxUploadBytes int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PingLimits rate-limits linkbacks received; zero values take DefaultPingLimits.
	PingLimits PingLimits
	// Logins limits password checks (web login, XML-RPC); nil makes one
	// with the default limits in this process's memory. Instances on one
	// PostgreSQL database pass one on the database's store to share them.
	Logins *loginguard.Guard
	// Client is the safe outbound client (trackback/safeclient): Pingback
	// fetches the source through it while the sender waits.
	Client *http.Client
	// WakeOutbox, if set, tells the background outbox that notifications
	// were queued, so they go out at once.
	WakeOutbox func()
	// Ops serves /healthz and, when set, /metrics.
	Ops Ops
	// Metrics, if set, counts requests and received linkbacks.
	Metrics *Metrics
	// RateLimits, if set, keeps the ping and comment limits in the database
	// (models.RateLimitStore), shared by every instance on it; nil keeps
	// them in this process's memory.
	RateLimits RateStore
	// Changes carries the notes of writes that change what pages show to
	// this instance's caches and to the other instances'; nil makes one
	// that reaches this instance's only.
	Changes ChangeBus
	// PageCache keeps rendered public pages for anonymous readers; nil
	// turns it off. The handlers drop what their writes change.
	PageCache *pagecache.Cache
	// OldLinks, if set, answers an imported blog's old addresses (old
	// permalinks, /?p=N) and shows private posts to logged-in users.
	OldLinks OldLinkStore
	// Reader reads the menu, categories, authors, search and sitemap; nil
	// takes Posts when it is one (models.Store is).
	Reader models.ReaderStore
	// Mail, if set, is the outbox of emails (password resets, comment
	// notices); nil means the blog sends no email. Emails are queued only
	// while a mail server is configured: MailFlags, or the settings'
	// Email fieldset (see mailOn).
	Mail models.MailStore
	// MailFlags is the email configuration of --smtp-url/--smtp-from; each
	// field given wins over the settings'.
	MailFlags models.MailSettings
	// Fediverse keeps the blog's ActivityPub state (models.Store); nil
	// serves no fediverse address. FetchAvatar fetches repliers' pictures
	// (jobs.FetchAvatar); WakeDeliveries wakes the delivery worker.
	Fediverse      federation.Store
	FetchAvatar    func(ctx context.Context, url string) (*models.Avatar, error)
	WakeDeliveries func()
	// InboxLimits rate-limits fediverse inbox POSTs; zero values take
	// DefaultInboxLimits.
	InboxLimits InboxLimits
	// Version is the software version NodeInfo reports.
	Version string
	// CommentKey keys the hashes behind generated avatars and a held
	// comment's link for its author (kept in the settings, so every
	// instance and restart agree); empty makes one for this process.
	CommentKey []byte
}

// Server holds the dependencies and the little state the handlers share.
type Server struct {
	Deps
	site     *cached[models.Site]
	months   *cached[[]models.MonthCount]
	menu     *cached[[]models.Post]
	authors  *cached[[]models.User]
	logins   *loginguard.Guard
	comments *commentGate
	// caches hear of every change (Changes): the settings and month
	// archive here, and whatever else registers (AddInvalidator).
	caches     []Invalidator
	cachesMu   sync.RWMutex
	intake     *intake.Service
	fediverse  *federation.Service
	rpc        *xmlrpcapi.API
	sessionTTL time.Duration
	setupMu    sync.Mutex
	// resets limit password reset requests (password_reset.go).
	resets *resetLimits
	// proxyNets are TrustedProxies parsed.
	proxyNets []netip.Prefix
	// commentKey is CommentKey, or a random one.
	commentKey []byte
}

// New builds the gin engine with every route and middleware.
func New(d Deps) (*gin.Engine, error) {
	_, r, err := newServer(d)
	return r, err
}

// newFront is New's engine behind cacheFront, which answers anonymous
// readers' page-cache hits before gin.
func newFront(d Deps) (http.Handler, error) {
	s, r, err := newServer(d)
	if err != nil {
		return nil, err
	}
	return frontHandler{Handler: s.cacheFront(r), engine: r}, nil
}

// frontHandler is the gin engine behind the page cache's front; Routes
// still lists the engine's routes (the role test walks them).
type frontHandler struct {
	http.Handler
	engine *gin.Engine
}

// Routes lists the gin engine's routes.
func (f frontHandler) Routes() gin.RoutesInfo { return f.engine.Routes() }

// newServer builds the server and its gin engine.
func newServer(d Deps) (*Server, *gin.Engine, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.WakeOutbox == nil {
		d.WakeOutbox = func() {}
	}
	if d.Logins == nil {
		d.Logins = loginguard.New(loginguard.DefaultLimits(), d.Now)
	}
	if d.MaxUploadBytes <= 0 {
		d.MaxUploadBytes = models.DefaultMaxUploadBytes
	}
	limits := d.PingLimits
	if limits.PerIPPerMinute <= 0 {
		limits.PerIPPerMinute = DefaultPingLimits().PerIPPerMinute
	}
	if limits.PerPostPerMinute <= 0 {
		limits.PerPostPerMinute = DefaultPingLimits().PerPostPerMinute
	}
	if d.Reader == nil {
		r, ok := d.Posts.(models.ReaderStore)
		if !ok {
			return nil, nil, errors.New("handlers: Deps.Reader is required")
		}
		d.Reader = r
	}
	if d.PageCache != nil { // every write to the queue drops the pages it changes
		d.Feedback = pageWatchedFeedback{FeedbackStore: d.Feedback, pages: d.PageCache}
	}
	s := &Server{
		Deps:       d,
		site:       newCached(loadSite(d.Settings), 5*time.Second, d.Now),
		months:     newCached(d.Posts.Months, time.Minute, d.Now),
		menu:       newCached(d.Reader.MenuPages, time.Minute, d.Now),
		authors:    newCached(d.Reader.Authors, time.Minute, d.Now),
		logins:     d.Logins,
		comments:   newCommentGate(d.Now, d.RateLimits, d.Log),
		sessionTTL: 14 * 24 * time.Hour,
	}
	if d.Mail != nil { // new comments and approved replies queue their notices
		d.Feedback = mailingFeedback{FeedbackStore: d.Feedback, mail: d.Mail, on: s.mailOn, posts: d.Posts, users: d.Users,
			site: s.site.get, baseURL: d.BaseURL, log: d.Log}
		s.Feedback = d.Feedback
	}
	nets, err := parseProxies(d.TrustedProxies)
	if err != nil {
		return nil, nil, err
	}
	s.proxyNets = nets
	if s.commentKey = d.CommentKey; len(s.commentKey) == 0 {
		s.commentKey = make([]byte, 32)
		_, _ = rand.Read(s.commentKey) // crypto/rand.Read never fails
	}
	s.caches = []Invalidator{serverCaches{s}}
	if s.Changes == nil {
		s.Changes = &LocalChanges{}
	}
	s.Changes.Subscribe(s.applyChange)
	perIP, perPost := s.pingLimiters(limits)
	s.intake = &intake.Service{Posts: d.Posts, Feedback: d.Feedback, Site: s.site.get, PerIP: addressLimiter{perIP},
		PerPost: perPost, Client: d.Client, BaseURL: d.BaseURL, Now: d.Now, Log: d.Log}
	if d.Metrics != nil {
		s.intake.Observer = d.Metrics
	}
	if s.PostService == nil {
		s.PostService = posts.New(d.Posts, posts.Options{Markdown: d.Markdown, Now: d.Now})
		s.PostService.OnChange(func(_ context.Context, c posts.Change) {
			if c.Notifies() {
				s.WakeOutbox() // notifications were queued with the post
			}
		})
	}
	// Any post write may change its page, the lists and the month archive.
	s.PostService.OnChange(func(ctx context.Context, c posts.Change) {
		s.Changes.Changed(ctx, models.Change{Kind: models.ChangePost, PostID: c.Post.ID})
		if c.Op != posts.Autosaved { // a draft's autosave shows in no list
			s.Changes.Changed(ctx, models.Change{Kind: models.ChangeLists})
			s.neighboursChanged(ctx, c)
		}
	})
	s.buildFediverse()
	if s.PageCache != nil { // the notes of this instance's writes and of others' drop pages
		s.AddInvalidator(pageCacheInvalidator{s.PageCache})
	}
	s.rpc = xmlrpcapi.New(xmlrpcapi.Deps{Writer: s.PostService, Posts: d.Posts, Feedback: changingFeedback{d.Feedback, s.Changes}, Users: d.Users,
		AppPasswords: d.AppPasswords, Media: d.Media, Logins: s.logins, Categories: changingCategories{d.Reader, s.Changes},
		Site: s.site.get, BaseURL: d.BaseURL, MaxUploadBytes: d.MaxUploadBytes, Log: d.Log, Linkbacks: s.intake})
	r := gin.New()
	// A wrong method falls through to NoRoute: the 404 page (or the XML on
	// ping URLs) rather than a bare 405.
	r.HandleMethodNotAllowed = false
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, nil, err
	}
	s.routes(r)
	return s, r, nil
}
