package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/trackback"
	"github.com/crosstalk/crosstalk/trackback/activitypub"
)

// maxRecipients bounds the followers one activity is delivered to.
const maxRecipients = 100_000

// federates reports whether the fediverse may hold a post: a published
// post (not a page), without a password, not kept off by its writer.
func federates(p *models.Post) bool {
	return p.Kind == models.KindPost && p.Status == models.StatusPublished && !p.NoFederate && p.Password == ""
}

// authorActor is the local actor a post is attributed to: its writer's if
// the writer publishes, else the blog's.
func (s *Service) authorActor(ctx context.Context, p *models.Post) (string, error) {
	u, err := s.Store.UserByID(ctx, p.AuthorID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return models.BlogActor, nil
	case err != nil:
		return "", err
	case !u.Role.Federates() || strings.ContainsAny(u.Name, "/@?#"):
		return models.BlogActor, nil
	}
	return models.UserActor(u.Name), nil
}

// ObjectID is the id of a post's Article: its permalink.
func (s *Service) ObjectID(p *models.Post) string { return s.BaseURL + p.Path() }

// Article is a post as the fediverse sees it: Mastodon shows an Article's
// name, summary and link; other servers show its content.
func (s *Service) Article(p *models.Post, author string) *activitypub.Object {
	id := s.ObjectID(p)
	a := &activitypub.Object{Context: activitypub.Context, ID: id, Type: "Article", AttributedTo: activitypub.Link(s.ActorID(author)),
		Name: p.Title, Content: p.BodyHTML, MediaType: "text/html", URL: activitypub.Link(id), Published: p.PublishedAt,
		To: []string{activitypub.Public}, CC: []string{s.ActorID(author) + "/followers"}}
	if author != models.BlogActor {
		a.CC = append(a.CC, s.ActorID(models.BlogActor)+"/followers")
	}
	summary := p.Excerpt
	if strings.TrimSpace(summary) == "" {
		summary = trackback.Excerpt(p.BodyHTML)
	}
	a.Summary = summary
	if p.PublishedAt != nil && p.UpdatedAt.After(p.PublishedAt.Add(time.Minute)) {
		updated := p.UpdatedAt.UTC()
		a.Updated = &updated
	}
	a.Attachment = activitypub.ImagesIn(p.BodyHTML, s.BaseURL+"/")
	for _, t := range p.Tags {
		a.Tag = append(a.Tag, activitypub.Tag{Type: "Hashtag", Name: "#" + strings.ReplaceAll(t.Name, " ", ""),
			Href: s.BaseURL + "/tag/" + url.PathEscape(t.Slug)})
	}
	return a
}

// activity wraps an object, addressed as it is.
func (s *Service) activity(typ, local, id string, obj *activitypub.Object, at *time.Time) *activitypub.Activity {
	return &activitypub.Activity{Context: activitypub.Context, ID: id, Type: typ, Actor: activitypub.Link(s.ActorID(local)),
		Object: obj, Published: at, To: obj.To, CC: obj.CC}
}

// OnPostChange is the posts service hook: it compares what the fediverse
// holds (models.APPublished) with the post as written and queues a Create
// (publish, restore), an Update (edit) or a Delete (unpublish, trash,
// delete, "do not federate"). It must not fail the write: errors are logged.
func (s *Service) OnPostChange(ctx context.Context, c posts.Change) {
	if c.Op == posts.Autosaved || c.Post.Kind != models.KindPost {
		return
	}
	if err := s.publish(ctx, c); err != nil && !errors.Is(err, ErrDisabled) {
		s.log().ErrorContext(ctx, "fediverse: queue activity", "post_id", c.Post.ID, "err", err)
	}
}

func (s *Service) publish(ctx context.Context, c posts.Change) error {
	if _, err := s.site(ctx); err != nil {
		return err
	}
	p := &c.Post
	held, err := s.Store.Published(ctx, p.ID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	was := err == nil
	live := c.Op != posts.Deleted && federates(p)
	now := s.now()
	switch {
	case live:
		author, err := s.authorActor(ctx, p)
		if err != nil {
			return err
		}
		art := s.Article(p, author)
		typ, id := "Create", art.ID+"#create-"+now.Format("20060102T150405Z")
		if was {
			typ, id = "Update", art.ID+"#update-"+now.Format("20060102T150405Z")
			updated := now
			art.Updated = &updated
		}
		act := s.activity(typ, author, id, art, &now)
		deliveries, err := s.deliveries(ctx, p.ID, author, act)
		if err != nil {
			return err
		}
		return s.commit(ctx, p.ID, &models.APPublished{LocalActor: author, ObjectID: art.ID}, deliveries)
	case was:
		tomb := &activitypub.Object{ID: held.ObjectID, Type: "Tombstone"}
		act := &activitypub.Activity{Context: activitypub.Context, ID: held.ObjectID + "#delete-" + now.Format("20060102T150405Z"),
			Type: "Delete", Actor: activitypub.Link(s.ActorID(held.LocalActor)), Object: tomb, To: []string{activitypub.Public}}
		deliveries, err := s.deliveries(ctx, p.ID, held.LocalActor, act)
		if err != nil {
			return err
		}
		return s.commit(ctx, p.ID, nil, deliveries)
	}
	return nil
}

func (s *Service) commit(ctx context.Context, postID int64, p *models.APPublished, deliveries []models.APDelivery) error {
	if err := s.Store.Publish(ctx, postID, p, deliveries); err != nil {
		return err
	}
	if len(deliveries) > 0 {
		s.wake()
	}
	return nil
}

// deliveries addresses an activity of a local actor to its followers and
// the blog's, one delivery per inbox (a server's shared inbox once).
func (s *Service) deliveries(ctx context.Context, postID int64, local string, act *activitypub.Activity) ([]models.APDelivery, error) {
	body, err := json.Marshal(act)
	if err != nil {
		return nil, err
	}
	locals := []string{local}
	if local != models.BlogActor {
		locals = append(locals, models.BlogActor)
	}
	seen := map[string]bool{}
	var out []models.APDelivery
	for _, l := range locals {
		followers, err := s.Store.Followers(ctx, l, false, maxRecipients)
		if err != nil {
			return nil, err
		}
		for _, f := range followers {
			inbox := f.DeliveryInbox()
			if seen[inbox] {
				continue
			}
			seen[inbox] = true
			id := postID
			out = append(out, models.APDelivery{PostID: &id, LocalActor: local, ActivityType: act.Type, Inbox: inbox, Body: string(body)})
		}
	}
	return out, nil
}

// reply queues an Accept or Reject of a Follow to the follower's inbox.
func (s *Service) reply(ctx context.Context, typ, local string, follow json.RawMessage, inbox, to string) error {
	act := struct {
		Context any             `json:"@context"`
		ID      string          `json:"id"`
		Type    string          `json:"type"`
		Actor   string          `json:"actor"`
		Object  json.RawMessage `json:"object"`
		To      []string        `json:"to"`
	}{activitypub.ASContext, s.ActorID(local) + "#" + strings.ToLower(typ) + "-" + randomID(), typ, s.ActorID(local), follow, []string{to}}
	body, err := json.Marshal(act)
	if err != nil {
		return err
	}
	if err := s.Store.QueueDeliveries(ctx, []models.APDelivery{{LocalActor: local, ActivityType: typ, Inbox: inbox, Body: string(body)}}); err != nil {
		return err
	}
	s.wake()
	return nil
}
