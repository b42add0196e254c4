package federation

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
	"github.com/crosstalk/crosstalk/trackback/text"
)

// followEcho is the Follow an Accept or Reject answers, embedded whole so
// every server can match it (GoToSocial wants its id, Mastodon falls back
// to its actor and object).
func followEcho(in *activitypub.Incoming) json.RawMessage {
	b, err := json.Marshal(struct {
		ID     string          `json:"id,omitempty"`
		Type   string          `json:"type"`
		Actor  string          `json:"actor"`
		Object json.RawMessage `json:"object"`
	}{in.ID, in.Type, string(in.Actor), in.Object})
	if err != nil {
		return json.RawMessage(`"` + in.ID + `"`)
	}
	return b
}

// create takes in a reply: a Note whose inReplyTo is one of our posts or a
// stored fediverse reply. It joins the moderation queue as feedback of
// kind "fediverse", threaded under the reply it answers.
func (s *Service) create(ctx context.Context, site models.Site, actor *models.RemoteActor, in *activitypub.Incoming) error {
	note := in.EmbeddedObject()
	if note == nil || note.Type != "Note" || !s.ownedBy(note, actor) {
		return nil
	}
	post, parent, err := s.replyTarget(ctx, string(note.InReplyTo))
	if err != nil || post == nil || !post.AllowComments {
		return err
	}
	status := models.ModApproved
	if site.ModerateAll {
		status = models.ModPending
	}
	f := s.responseFrom(actor, post.ID, status, models.ResponseReply)
	f.SourceURL = note.ID
	if u := string(note.URL); activitypub.IsHTTPURL(u) && activitypub.SameOrigin(u, note.ID) {
		f.SourceURL = u
	}
	f.Content = replyText(note.Content)
	f.ParentID = parent
	if note.Published != nil {
		at := note.Published.UTC()
		f.SourcePublishedAt = &at
	}
	if f.Content == "" {
		return nil
	}
	created, err := s.Store.AddRemoteResponse(ctx, f, &models.APObject{RemoteID: note.ID, ActorID: actor.ID, Kind: models.ResponseReply},
		s.avatar(ctx, actor))
	if created && status == models.ModApproved {
		s.changed(ctx, post.ID)
	}
	return err
}

// replyTarget finds what a reply answers: one of our posts (parent nil)
// or a stored fediverse reply (its feedback id, and its post). A nil post
// means the reply is about nothing here.
func (s *Service) replyTarget(ctx context.Context, inReplyTo string) (*models.Post, *int64, error) {
	if !activitypub.IsHTTPURL(inReplyTo) {
		return nil, nil, nil
	}
	if post, err := s.Posts.PublicPostAt(ctx, inReplyTo); err == nil {
		return post, nil, nil
	}
	o, err := s.Store.RemoteResponse(ctx, inReplyTo, "")
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil || o.Kind != models.ResponseReply {
		return nil, nil, err
	}
	fb, err := s.Store.FeedbackByID(ctx, o.FeedbackID)
	if err != nil {
		return nil, nil, nil
	}
	post, err := s.Store.PostByID(ctx, fb.PostID)
	if err != nil || !federates(post) {
		return nil, nil, nil
	}
	id := o.FeedbackID
	return post, &id, nil
}

// update replaces the text of a stored reply by its author.
func (s *Service) update(ctx context.Context, actor *models.RemoteActor, in *activitypub.Incoming) error {
	note := in.EmbeddedObject()
	if note == nil || note.Type != "Note" || !s.ownedBy(note, actor) {
		return nil
	}
	o, err := s.Store.RemoteResponse(ctx, note.ID, actor.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if c := replyText(note.Content); c != "" {
		err = s.Store.UpdateRemoteReply(ctx, o.FeedbackID, c)
		s.changed(ctx, o.PostID)
	}
	return err
}

// react counts a Like or an Announce of one of our posts: a face in the
// row beside the Webmention likes and reposts, shown at once (it carries
// only a name and a picture, and was signed by its actor).
func (s *Service) react(ctx context.Context, actor *models.RemoteActor, in *activitypub.Incoming, kind models.ResponseType) error {
	post, err := s.Posts.PublicPostAt(ctx, in.ObjectID())
	if err != nil || in.ID == "" || !activitypub.SameOrigin(in.ID, actor.ID) {
		return nil // not one of our posts
	}
	f := s.responseFrom(actor, post.ID, models.ModApproved, kind)
	f.SourceURL = in.ID
	created, err := s.Store.AddRemoteResponse(ctx, f, &models.APObject{RemoteID: in.ID, ActorID: actor.ID, Kind: kind}, s.avatar(ctx, actor))
	if created {
		s.changed(ctx, post.ID)
	}
	return err
}

// ownedBy reports whether an object is the actor's: attributed to it and
// on its server.
func (s *Service) ownedBy(o *activitypub.Object, actor *models.RemoteActor) bool {
	return string(o.AttributedTo) == actor.ID && activitypub.SameOrigin(o.ID, actor.ID)
}

// responseFrom is the feedback row of a remote actor's response.
func (s *Service) responseFrom(actor *models.RemoteActor, postID int64, status models.ModerationStatus, kind models.ResponseType) *models.Feedback {
	name := text.Shorten(text.CleanLine(actor.Name), models.MaxAuthorNameLen, "")
	if strings.TrimSpace(name) == "" {
		name = "@" + actor.Username + "@" + activitypub.Host(actor.ID)
	}
	return &models.Feedback{PostID: postID, Kind: models.FeedbackFediverse, Status: status, AuthorName: name,
		AuthorURL: actor.URL, AuthorPhoto: actor.IconURL, ResponseType: kind, Verification: models.VerificationVerified}
}

// avatarWait bounds the fetch of a replier's picture.
const avatarWait = 3 * time.Second

// avatar fetches the actor's picture; nil (a placeholder) when it has none
// or it cannot be had.
func (s *Service) avatar(ctx context.Context, actor *models.RemoteActor) *models.Avatar {
	if s.FetchAvatar == nil || actor.IconURL == "" {
		return nil
	}
	// The sender waits for the inbox's answer: a slow picture host must
	// not hold it long (Mastodon gives up on a delivery after seconds).
	ctx, cancel := context.WithTimeout(ctx, avatarWait)
	defer cancel()
	a, err := s.FetchAvatar(ctx, actor.IconURL)
	if err != nil {
		s.log().InfoContext(ctx, "fediverse avatar not stored; a placeholder is shown", "icon", actor.IconURL, "err", err)
		return nil
	}
	return a
}

// replyText is a Note's HTML as the plain text comments are kept in.
func replyText(content string) string {
	return text.Shorten(text.Clean(activitypub.PlainText(content)), models.MaxCommentLen, "…")
}
