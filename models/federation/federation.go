// Package federation puts the blog on the fediverse: it serves the actor
// documents (the blog, and each writer who publishes), takes in signed
// inbox activities (follows, replies, likes, boosts, and their undoing)
// and turns post writes into Create, Update and Delete activities queued
// in the durable outbox of deliveries (models.APDelivery, sent by
// jobs.Deliveries). Replies land in the one moderation queue as feedback of
// kind "fediverse"; likes and boosts join the Webmention faces.
//
// Like models/intake it knows neither gin nor the HTTP handlers: the wire
// format is trackback/activitypub, the storage models.Store.
package federation

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// Store is what federation needs of models.Store.
type Store interface {
	ActorKey(ctx context.Context, local string, generate func() (string, string, error)) (*models.APKey, error)
	AddFollower(ctx context.Context, f *models.Follower) (blocked bool, err error)
	RemoveFollower(ctx context.Context, local, actorID string) (bool, error)
	ForgetFollower(ctx context.Context, actorID string) error
	Followers(ctx context.Context, local string, withBlocked bool, limit int) ([]models.Follower, error)
	CountFollowers(ctx context.Context, local string) (int64, error)
	FollowerByID(ctx context.Context, id int64) (*models.Follower, error)
	SetFollowerBlocked(ctx context.Context, id int64, blocked bool) error
	DeleteFollower(ctx context.Context, id int64) error
	SaveRemoteActor(ctx context.Context, a *models.RemoteActor) error
	RemoteActorByKey(ctx context.Context, keyID string) (*models.RemoteActor, error)
	AddRemoteResponse(ctx context.Context, f *models.Feedback, o *models.APObject, avatar *models.Avatar) (bool, error)
	RemoteResponse(ctx context.Context, remoteID, actorID string) (*models.APObject, error)
	RemoveRemoteResponse(ctx context.Context, remoteID, actorID string) (postID int64, err error)
	RemoveReaction(ctx context.Context, actorID string, kind models.ResponseType, postID int64) (bool, error)
	UpdateRemoteReply(ctx context.Context, feedbackID int64, content string) error
	FeedbackByID(ctx context.Context, id int64) (*models.QueueItem, error)
	Published(ctx context.Context, postID int64) (*models.APPublished, error)
	FederatedPosts(ctx context.Context) (int64, error)
	Publish(ctx context.Context, postID int64, p *models.APPublished, deliveries []models.APDelivery) error
	QueueDeliveries(ctx context.Context, deliveries []models.APDelivery) error
	DeliveriesForPost(ctx context.Context, postID int64, limit int) ([]models.APDelivery, error)
	PostByID(ctx context.Context, id int64) (*models.Post, error)
	UserByID(ctx context.Context, id int64) (*models.User, error)
	UserByLogin(ctx context.Context, nameOrEmail string) (*models.User, error)
	CountUsers(ctx context.Context) (int64, error)
	PublishedPosts(ctx context.Context, f models.PostFilter) ([]models.Post, error)
}

// Posts finds the public post a URL names (intake.Service).
type Posts interface {
	PublicPostAt(ctx context.Context, raw string) (*models.Post, error)
}

// Service is the blog's fediverse side. Fields are set once by the code
// that builds the handlers; Now, Log, Wake and FetchAvatar may be nil.
type Service struct {
	Store Store
	Posts Posts
	// Site reads the settings (federation switch, blog actor name, block list).
	Site func(ctx context.Context) (models.Site, error)
	// Client fetches remote actors: the safe client.
	Client *http.Client
	// BaseURL is the blog's public address without a trailing slash.
	BaseURL string
	// PerSource limits inbox POSTs per network address, charged before the
	// signature is checked; PerInstance and PerActor per remote server and
	// per remote actor, charged once the signature verifies.
	PerSource, PerInstance, PerActor intake.Limiter
	// FetchAvatar fetches a remote author's picture (jobs.FetchAvatar).
	FetchAvatar func(ctx context.Context, url string) (*models.Avatar, error)
	// Wake tells the delivery worker that deliveries were queued.
	Wake func()
	// Changed hears that what a post's page shows changed (a reply, like
	// or boost came or went), for the page caches.
	Changed func(ctx context.Context, postID int64)
	Now     func() time.Time
	Log     *slog.Logger
	// Version is the software version NodeInfo reports.
	Version string
}

// Errors the handlers map to HTTP answers.
var (
	// ErrDisabled: federation is off (404 for every fediverse address).
	ErrDisabled = errors.New("federation is off")
	// ErrNoActor: no such local actor (404).
	ErrNoActor = errors.New("no such actor")
	// ErrBlocked: the sender's server is on the block list (403).
	ErrBlocked = errors.New("the sender's server is blocked")
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Service) changed(ctx context.Context, postID int64) {
	if s.Changed != nil && postID != 0 {
		s.Changed(ctx, postID)
	}
}

func (s *Service) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}

// site reads the settings; ErrDisabled when federation is off.
func (s *Service) site(ctx context.Context) (models.Site, error) {
	site, err := s.Site(ctx)
	if err != nil {
		return site, err
	}
	if !site.Federation {
		return site, ErrDisabled
	}
	return site, nil
}

// ActorID is the id of a local actor ("blog" or "users/LOGIN").
func (s *Service) ActorID(local string) string { return s.BaseURL + "/ap/" + local }

// SharedInbox is the blog's shared inbox.
func (s *Service) SharedInbox() string { return s.BaseURL + "/ap/inbox" }

// localActor maps one of our actor ids back to its local name; "" when
// the id is not one of ours.
func (s *Service) localActor(id string) string {
	rest, ok := strings.CutPrefix(id, s.BaseURL+"/ap/")
	if !ok || (rest != models.BlogActor && !strings.HasPrefix(rest, "users/")) || strings.Count(rest, "/") > 1 {
		return ""
	}
	return rest
}

// host is the blog's host and port, as acct: URIs name it.
func (s *Service) host() string {
	u, err := url.Parse(s.BaseURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// Keys is the store of local actors' keys.
type Keys interface {
	ActorKey(ctx context.Context, local string, generate func() (string, string, error)) (*models.APKey, error)
}

// Signer gives the key a local actor of the blog at baseURL signs with,
// made on first use: the delivery worker's (jobs.Deliveries.Signer) and
// the service's own.
func Signer(keys Keys, baseURL string) func(ctx context.Context, local string) (activitypub.Signer, error) {
	return func(ctx context.Context, local string) (activitypub.Signer, error) {
		k, err := keys.ActorKey(ctx, local, activitypub.NewKey)
		if err != nil {
			return activitypub.Signer{}, err
		}
		priv, err := activitypub.ParsePrivateKey(k.PrivateKeyPem)
		if err != nil {
			return activitypub.Signer{}, err
		}
		return activitypub.Signer{KeyID: baseURL + "/ap/" + local + "#main-key", Key: priv}, nil
	}
}

func (s *Service) signer(ctx context.Context, local string) (activitypub.Signer, error) {
	return Signer(s.Store, s.BaseURL)(ctx, local)
}
