package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// ErrUnauthorized wraps why an inbox POST is not authenticated (401): no
// or a malformed signature, a stale Date, a Digest not matching, a key that
// cannot be fetched or does not verify, or an actor other than the signer.
var ErrUnauthorized = errors.New("not authenticated")

// Inbox takes in one POST to an inbox (local names the actor whose inbox
// it is; "" for the shared inbox; from is the sender's network address):
// the signature is checked before anything is decoded or stored, then the
// activity is acted on. Activities that concern nothing here are dropped
// without error (the sender gets 202). Errors: ErrDisabled,
// ErrUnauthorized (wrapped), activitypub.ErrMalformed, ErrBlocked,
// *intake.RateLimitError, or a store failure.
//
// Only the sender's address is charged before the signature verifies: the
// claimed server's and actor's allowances are charged once the signer is
// known, so forged requests cannot use up a real server's.
func (s *Service) Inbox(ctx context.Context, r *http.Request, body []byte, local, from string) error {
	site, err := s.site(ctx)
	if err != nil {
		return err
	}
	if err := charge(ctx, s.PerSource, from); err != nil {
		return err
	}
	if local != "" {
		if _, err := s.Actor(ctx, local); err != nil {
			return err
		}
	}
	sr, err := activitypub.ParseRequest(r, body, s.now())
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnauthorized, err)
	}
	if site.Blocked(activitypub.Host(sr.KeyID), "") {
		return ErrBlocked
	}
	actor, err := s.verify(ctx, sr)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnauthorized, err)
	}
	if err := charge(ctx, s.PerInstance, activitypub.Host(actor.ID)); err != nil {
		return err
	}
	if err := charge(ctx, s.PerActor, actor.ID); err != nil {
		return err
	}
	in, err := activitypub.DecodeIncoming(body)
	if err != nil {
		return err
	}
	if string(in.Actor) != actor.ID {
		return fmt.Errorf("%w: activity of %q signed by %q", ErrUnauthorized, in.Actor, actor.ID)
	}
	return s.dispatch(ctx, site, actor, in)
}

// charge takes one request from key's allowance in lim (none when lim is
// nil or key empty).
func charge(ctx context.Context, lim intake.Limiter, key string) error {
	if lim == nil || key == "" {
		return nil
	}
	if ok, wait := lim.Allow(ctx, key); !ok {
		return &intake.RateLimitError{Scope: intake.ScopeAddress, RetryAfter: wait}
	}
	return nil
}

// verify finds the signer's key (cached, else fetched through the safe
// client) and checks the signature; a cached key that fails is fetched
// again once, as the signer may have rotated it.
func (s *Service) verify(ctx context.Context, sr *activitypub.SignedRequest) (*models.RemoteActor, error) {
	cached, err := s.Store.RemoteActorByKey(ctx, sr.KeyID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	if err == nil {
		if key, perr := activitypub.ParsePublicKey(cached.PublicKeyPem); perr == nil && sr.Verify(key) == nil {
			return cached, nil
		}
	}
	fresh, err := s.fetchActor(ctx, sr.KeyID)
	if err != nil {
		return nil, err
	}
	if fresh.KeyID != sr.KeyID {
		return nil, fmt.Errorf("key %q is not the actor's (%q)", sr.KeyID, fresh.KeyID)
	}
	key, err := activitypub.ParsePublicKey(fresh.PublicKeyPem)
	if err != nil {
		return nil, err
	}
	if err := sr.Verify(key); err != nil {
		return nil, err
	}
	return fresh, s.Store.SaveRemoteActor(ctx, fresh)
}

// fetchActor fetches a remote actor (by its id or its key's) through the
// safe client, signing the GET as the blog for servers that ask for it.
func (s *Service) fetchActor(ctx context.Context, id string) (*models.RemoteActor, error) {
	signer, err := s.signer(ctx, models.BlogActor)
	if err != nil {
		return nil, err
	}
	a, err := activitypub.FetchActor(ctx, s.Client, id, signer, s.now())
	if err != nil {
		return nil, err
	}
	// The key and the inbox are the actor's server's: an actor document
	// cannot point deliveries at another site.
	if a.PublicKey == nil || a.PublicKey.Owner != a.ID || !activitypub.SameOrigin(a.ID, a.PublicKey.ID) ||
		!activitypub.SameOrigin(a.ID, a.Inbox) {
		return nil, activitypub.ErrNotActor
	}
	ra := &models.RemoteActor{ID: a.ID, KeyID: a.PublicKey.ID, Username: a.PreferredUsername, Name: a.Name,
		Inbox: a.Inbox, PublicKeyPem: a.PublicKey.PublicKeyPem, URL: string(a.URL)}
	if a.Endpoints != nil && activitypub.SameOrigin(a.ID, a.Endpoints.SharedInbox) {
		ra.SharedInbox = a.Endpoints.SharedInbox
	}
	if a.Icon != nil && activitypub.IsHTTPURL(string(a.Icon.URL)) {
		ra.IconURL = string(a.Icon.URL)
	}
	if !activitypub.IsHTTPURL(ra.URL) {
		ra.URL = a.ID
	}
	return ra, nil
}

// dispatch acts on an authenticated activity.
func (s *Service) dispatch(ctx context.Context, site models.Site, actor *models.RemoteActor, in *activitypub.Incoming) error {
	switch in.Type {
	case "Follow":
		return s.follow(ctx, actor, in)
	case "Undo":
		return s.undo(ctx, actor, in)
	case "Create":
		return s.create(ctx, site, actor, in)
	case "Update":
		if in.ObjectID() == actor.ID { // a new name or picture: read it again
			fresh, err := s.fetchActor(ctx, actor.ID)
			if err != nil {
				return nil // keep what is known; the next activity will tell
			}
			return s.Store.SaveRemoteActor(ctx, fresh)
		}
		return s.update(ctx, actor, in)
	case "Delete":
		if in.ObjectID() == actor.ID { // the account is gone: it follows nothing
			return s.Store.ForgetFollower(ctx, actor.ID)
		}
		return s.remove(ctx, in.ObjectID(), actor)
	case "Like":
		return s.react(ctx, actor, in, models.ResponseLike)
	case "Announce":
		return s.react(ctx, actor, in, models.ResponseRepost)
	}
	return nil // not something a blog acts on
}

// follow records a follower of one of our actors and queues the Accept,
// or a Reject when the blog's owner blocked that actor.
func (s *Service) follow(ctx context.Context, actor *models.RemoteActor, in *activitypub.Incoming) error {
	local := s.localActor(in.ObjectID())
	if local == "" {
		return nil
	}
	if _, err := s.Actor(ctx, local); err != nil {
		if errors.Is(err, ErrNoActor) {
			return nil
		}
		return err
	}
	blocked, err := s.Store.AddFollower(ctx, &models.Follower{LocalActor: local, ActorID: actor.ID, Inbox: actor.Inbox,
		SharedInbox: actor.SharedInbox, FollowID: in.ID})
	if err != nil {
		return err
	}
	typ := "Accept"
	if blocked {
		typ = "Reject"
	}
	return s.reply(ctx, typ, local, followEcho(in), actor.Inbox, actor.ID)
}

// undo takes back a Follow, a Like or an Announce of the same actor.
func (s *Service) undo(ctx context.Context, actor *models.RemoteActor, in *activitypub.Incoming) error {
	inner := in.EmbeddedActivity()
	if inner == nil || inner.Type == "" { // named only by id: a reaction
		return s.remove(ctx, in.ObjectID(), actor)
	}
	if string(inner.Actor) != "" && string(inner.Actor) != actor.ID {
		return nil // one cannot undo another's activity
	}
	switch inner.Type {
	case "Follow":
		if local := s.localActor(inner.ObjectID()); local != "" {
			_, err := s.Store.RemoveFollower(ctx, local, actor.ID)
			return err
		}
	case "Like", "Announce":
		if postID, err := s.Store.RemoveRemoteResponse(ctx, inner.ID, actor.ID); postID != 0 || err != nil {
			s.changed(ctx, postID)
			return err
		}
		kind := models.ResponseLike
		if inner.Type == "Announce" {
			kind = models.ResponseRepost
		}
		post, err := s.Posts.PublicPostAt(ctx, inner.ObjectID())
		if err != nil {
			return nil // not one of our posts
		}
		removed, err := s.Store.RemoveReaction(ctx, actor.ID, kind, post.ID)
		if removed {
			s.changed(ctx, post.ID)
		}
		return err
	}
	return nil
}

// remove deletes a reply or reaction on its author's word.
func (s *Service) remove(ctx context.Context, remoteID string, actor *models.RemoteActor) error {
	postID, err := s.Store.RemoveRemoteResponse(ctx, remoteID, actor.ID)
	s.changed(ctx, postID)
	return err
}
