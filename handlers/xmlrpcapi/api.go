// Package xmlrpcapi is the blog's XML-RPC endpoint: the Blogger,
// MetaWeblog, Movable Type and WordPress methods remote editors publish
// with, their method table and login, and the RSD document that points
// editors at it. It writes posts through the post service (models/posts),
// speaks the wire format through trackback/xmlrpc, and knows nothing of gin:
// handlers mounts it, passing the client's address (WithClientIP) and the
// login limits it shares with the web login.
package xmlrpcapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// Fault codes of the blog APIs. WordPress's codes are used where it has one,
// since clients show or test them; 429 is ours (WordPress has no rate limit).
const (
	FaultInvalid    = 400 // the content was refused: a title missing, a slug taken…
	FaultNotAllowed = 401 // WordPress: "Sorry, you are not allowed to…", invalid statuses and types
	FaultBadLogin   = 403 // WordPress: "Incorrect username or password."
	FaultNotFound   = 404 // WordPress: "Invalid post ID.", "Invalid comment ID."
	FaultRateLimit  = 429 // too many failed logins from this address or for this account
	FaultUpload     = 500 // WordPress's code for a refused upload
)

// blogID is the one blog this server hosts; clients' blog ids are ignored, as WordPress does.
const blogID = "1"

// PostService is the post service (models/posts): every write goes through it.
type PostService interface {
	Create(ctx context.Context, p *models.Post, e posts.Edit) error
	Update(ctx context.Context, p *models.Post, e posts.Edit) error
	Publish(ctx context.Context, id int64) (*models.Post, error)
	Delete(ctx context.Context, id int64) (*models.Post, error)
	Trash(ctx context.Context, id int64, by *models.User) (*models.Post, error)
	DeleteForGood(ctx context.Context, id int64, by *models.User) (*models.Post, error)
	// Now is the time a publication date is set against, in UTC.
	Now() time.Time
}

// PostReader reads posts and tags.
type PostReader interface {
	PostByID(ctx context.Context, id int64) (*models.Post, error)
	RecentPosts(ctx context.Context, kind models.PostKind, limit int) ([]models.Post, error)
	Tags(ctx context.Context) ([]models.Tag, error)
}

// FeedbackStore is the moderation queue, as wp.*Comment* and mt.getTrackbackPings use it.
type FeedbackStore interface {
	AddFeedback(ctx context.Context, f *models.Feedback) (bool, error)
	ReplyThread(ctx context.Context, postID, parentID int64, maxDepth int) (models.Thread, error)
	ApprovedFeedback(ctx context.Context, postID int64) ([]models.Feedback, error)
	FeedbackByID(ctx context.Context, id int64) (*models.QueueItem, error)
	UpdateFeedback(ctx context.Context, f *models.Feedback) error
	Queue(ctx context.Context, f models.QueueFilter) ([]models.QueueItem, error)
	QueueCounts(ctx context.Context, kind models.FeedbackKind, postID int64) (map[models.ModerationStatus]int, error)
	SetFeedbackStatus(ctx context.Context, status models.ModerationStatus, ids ...int64) error
	DeleteFeedback(ctx context.Context, ids ...int64) error
}

// UserStore finds the account a call logs in as.
type UserStore interface {
	UserByLogin(ctx context.Context, nameOrEmail string) (*models.User, error)
}

// AppPasswordStore checks application passwords.
type AppPasswordStore interface {
	UseAppPassword(ctx context.Context, userID int64, token string) (*models.AppPassword, error)
}

// MediaStore keeps uploads.
type MediaStore interface {
	AddMedia(ctx context.Context, m *models.Media) (created bool, err error)
}

// LoginGuard is the login limiter XML-RPC shares with the web login
// (handlers/loginguard): a try is reserved before the password is checked.
type LoginGuard interface {
	Begin(ctx context.Context, address, account string) (*loginguard.Attempt, error)
}

// Deps is what the API needs, given by handlers (built in cmd/crosstalk).
type Deps struct {
	Writer       PostService
	Posts        PostReader
	Feedback     FeedbackStore
	Users        UserStore
	AppPasswords AppPasswordStore
	Media        MediaStore
	Logins       LoginGuard
	// Categories files posts under categories (MetaWeblog categories,
	// the mt.*Category* calls).
	Categories CategoryStore
	// Linkbacks receives pingback.ping; nil leaves Pingback out.
	Linkbacks Linkbacks
	// Site gives the blog's settings (its title); handlers passes its cache.
	Site func(ctx context.Context) (models.Site, error)
	// BaseURL is the public address without a trailing slash.
	BaseURL string
	// MaxUploadBytes bounds one media file; 0 means models.DefaultMaxUploadBytes.
	MaxUploadBytes int64
	Log            *slog.Logger
}

// API serves /xmlrpc (an http.Handler) and /rsd.xml (RSD).
type API struct {
	Deps
	rpc *xmlrpc.Server
}

// Option adds to the API as it is built.
type Option func(*API)

// WithMethod registers one more method, such as pingback.ping, which
// handlers serves on the same endpoint.
func WithMethod(name string, h xmlrpc.HandlerFunc) Option {
	return func(a *API) { a.rpc.Register(name, h) }
}

// New builds the endpoint with every blog API method.
func New(d Deps, opts ...Option) *API {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.MaxUploadBytes <= 0 {
		d.MaxUploadBytes = models.DefaultMaxUploadBytes
	}
	// A request carries at most one media file as base64 (a third larger)
	// or a post of up to 1 MiB, which XML escaping can make a few times larger.
	a := &API{Deps: d, rpc: xmlrpc.NewServer(d.Log, d.MaxUploadBytes/3*4+8<<20)}
	// Credentials are checked before the rest of a call is read, so a
	// stranger's upload is refused after a few kilobytes.
	a.rpc.SetAuthenticator(a.authenticate)
	a.registerBlogger(a.rpc)
	a.registerMetaWeblog(a.rpc)
	a.registerMovableType(a.rpc)
	a.registerWordPress(a.rpc)
	if d.Linkbacks != nil {
		a.rpc.Register("pingback.ping", a.pingbackPing)
	}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Register makes h answer calls to method name (pingback.ping, say).
func (a *API) Register(name string, h xmlrpc.HandlerFunc) { a.rpc.Register(name, h) }

// ServeHTTP answers an XML-RPC call. Clients are not browsers and
// authenticate every call with a password, so it needs no session; the
// caller puts the client's address in the context (WithClientIP).
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.rpc.ServeHTTP(w, r) }

type clientIPKey struct{}

// WithClientIP tells the API the caller's address, which the login limits key on.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// ClientIP is the address WithClientIP put in ctx, or "".
func ClientIP(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}

// rpcLogin is the user a method runs as: the one the server's
// authenticator already let in for the user name at params i and i+1, or,
// when it did not run, the result of checking them now.
func (a *API) rpcLogin(ctx context.Context, p xmlrpc.Params, i int) (*models.User, error) {
	login, err := p.String(i)
	if err != nil {
		return nil, err
	}
	password, err := p.String(i + 1)
	if err != nil {
		return nil, err
	}
	if in, ok := ctx.Value(loggedInKey{}).(loggedIn); ok && in.login == login {
		return in.user, nil
	}
	ctx, err = a.authenticate(ctx, "", login, password)
	if err != nil {
		return nil, err
	}
	return ctx.Value(loggedInKey{}).(loggedIn).user, nil
}

type loggedInKey struct{}

// loggedIn is who the authenticator let in, and under which user name.
type loggedIn struct {
	login string
	user  *models.User
}

// authenticate checks a user name and password; the password may be the
// account's or one of its application passwords. Tries share the web
// login's guard: charged before the check and given back when the password
// is right, since clients log in on every call. The context it returns
// carries the user.
func (a *API) authenticate(ctx context.Context, _, login, password string) (context.Context, error) {
	name := strings.TrimSpace(login)
	if len(name) > models.MaxEmailLen || len(password) > 1024 {
		return nil, &xmlrpc.Fault{Code: FaultBadLogin, Message: "Incorrect username or password."}
	}
	attempt, err := a.Logins.Begin(ctx, loginguard.AddressKey(ClientIP(ctx)), strings.ToLower(name))
	var limited *loginguard.LimitedError
	if errors.As(err, &limited) {
		return nil, &xmlrpc.Fault{Code: FaultRateLimit,
			Message: fmt.Sprintf("Too many failed logins. Wait %s and try again.", loginguard.Seconds(limited.Seconds()))}
	}
	if err != nil {
		return nil, err
	}
	u, err := a.Users.UserByLogin(ctx, name)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		attempt.Abandon()
		return nil, err
	}
	if err != nil {
		u = nil
	} else if _, err := a.AppPasswords.UseAppPassword(ctx, u.ID, password); err == nil {
		attempt.Succeeded()
		return context.WithValue(ctx, loggedInKey{}, loggedIn{login: login, user: u}), nil
	} else if !errors.Is(err, models.ErrNotFound) {
		attempt.Abandon()
		return nil, err
	}
	if !models.CheckPassword(u, password) {
		attempt.Failed()
		return nil, &xmlrpc.Fault{Code: FaultBadLogin, Message: "Incorrect username or password."}
	}
	attempt.Succeeded()
	return context.WithValue(ctx, loggedInKey{}, loggedIn{login: login, user: u}), nil
}

// rpcFault turns a store or validation error into the fault a client sees;
// notFound is the message for a missing record. Other errors pass through,
// and the XML-RPC server logs them and answers a generic fault.
func rpcFault(err error, notFound string) error {
	var f *xmlrpc.Fault
	var refusal *posts.Refusal
	switch {
	case err == nil:
		return nil
	case errors.As(err, &f):
		return err
	case errors.As(err, &refusal):
		return notAllowed(refusal.Message)
	case errors.Is(err, models.ErrNotFound):
		return &xmlrpc.Fault{Code: FaultNotFound, Message: notFound}
	case models.FieldErrors(err) != nil:
		return &xmlrpc.Fault{Code: FaultInvalid, Message: fieldMessages(models.FieldErrors(err))}
	case errors.Is(err, models.ErrInvalid):
		return &xmlrpc.Fault{Code: FaultInvalid, Message: "Invalid request."}
	case errors.Is(err, models.ErrForbidden), errors.Is(err, models.ErrUnauthorized):
		return &xmlrpc.Fault{Code: FaultNotAllowed, Message: "Sorry, you are not allowed to do that."}
	}
	return err
}

// fieldMessages joins per-field messages in a stable order: "title: A title is required."
func fieldMessages(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + fields[k]
	}
	return strings.Join(parts, " ")
}

func notAllowed(msg string) error { return &xmlrpc.Fault{Code: FaultNotAllowed, Message: msg} }

// paramID reads a post or comment id, sent as a string or an int.
func paramID(p xmlrpc.Params, i int, notFound string) (int64, error) {
	raw, err := p.String(i)
	if err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id <= 0 {
		return 0, &xmlrpc.Fault{Code: FaultNotFound, Message: notFound}
	}
	return id, nil
}

// optionalInt reads an optional int param, def when absent or empty.
func optionalInt(p xmlrpc.Params, i, def int) (int, error) {
	if i >= len(p) || p[i] == nil || p[i] == "" {
		return def, nil
	}
	return p.Int(i)
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
