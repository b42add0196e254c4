// Package posts is the one path by which posts are written: the browser
// editor, XML-RPC clients and scheduled publishing (and later the importer
// and the outbox) create, edit, autosave, publish, schedule, unpublish and
// delete posts through a Service. It decides slugs (a taken one refused, or
// numbered -2, -3… for clients that cannot pick another), tidies titles,
// excerpts and tags, renders the body, and after every successful write calls
// the change hooks (cache invalidation, waking the outbox). The store keeps a
// post and the notifications its publishing queues in one transaction.
// The package is free of gin and gorm.
package posts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

// Store is what the service needs of the post store.
type Store interface {
	CreatePost(ctx context.Context, p *models.Post, tags []string) error
	UpdatePost(ctx context.Context, p *models.Post, tags []string) error
	UpdateDraft(ctx context.Context, p *models.Post, tags []string) error
	DeletePost(ctx context.Context, id int64) error
	PostByID(ctx context.Context, id int64) (*models.Post, error)
	PublishDue(ctx context.Context) ([]models.Post, error)
	TrashPost(ctx context.Context, id int64) error
	RestorePost(ctx context.Context, id int64) error
	TrashedBefore(ctx context.Context, cutoff time.Time, limit int) ([]int64, error)
}

// Renderer turns a post's Markdown into sanitised HTML (models/markup).
type Renderer interface {
	HTML(ctx context.Context, markdown string) (string, error)
}

// Op names what a write did.
type Op string

// The writes a Change reports.
const (
	Created   Op = "created"
	Updated   Op = "updated"
	WentLive  Op = "went-live" // a scheduled post's time came
	Deleted   Op = "deleted"
	Autosaved Op = "autosaved" // a draft's text, saved while the writer types
	Trashed   Op = "trashed"   // moved to the trash: gone from readers' pages
	Restored  Op = "restored"  // out of the trash with the status it had
)

// Change is one successful write, as the hooks hear of it.
type Change struct {
	Op Op
	// Post is the post as stored (for Deleted: as it was before).
	Post models.Post
}

// Notifies reports whether the write left the post published, so its
// notifications may have been queued (in the same transaction) and the outbox
// should look now.
func (c Change) Notifies() bool {
	return c.Op != Deleted && c.Op != Trashed && c.Post.Kind == models.KindPost && c.Post.Status == models.StatusPublished
}

// Hook hears of a successful write. It runs after the write, in the writer's
// goroutine, so it must be quick (drop a cache entry, wake a worker).
type Hook func(ctx context.Context, c Change)

// Options configures a Service.
type Options struct {
	// Markdown renders bodies; required.
	Markdown Renderer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Service writes posts. It is safe for concurrent use.
type Service struct {
	store    Store
	markdown Renderer
	now      func() time.Time

	mu    sync.RWMutex
	hooks []Hook
}

// New makes a Service writing to store.
func New(store Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{store: store, markdown: o.Markdown, now: o.Now}
}

// OnChange adds a hook called once after each successful write, never after
// a failed one. Hooks run in the order they were added.
func (s *Service) OnChange(h Hook) {
	s.mu.Lock()
	s.hooks = append(s.hooks, h)
	s.mu.Unlock()
}

func (s *Service) changed(ctx context.Context, op Op, p *models.Post) {
	s.mu.RLock()
	hooks := s.hooks
	s.mu.RUnlock()
	c := Change{Op: op, Post: *p}
	for _, h := range hooks {
		h(ctx, c)
	}
}

// Now is the service's clock, in UTC: what a publication time is set against.
func (s *Service) Now() time.Time { return s.now().UTC() }

// Edit says how a post is saved.
type Edit struct {
	// Tags are the post's tags, replacing the ones it had.
	Tags []string
	// NumberSlug gives a slug another post has a number (-2, -3…), as
	// WordPress does, instead of refusing it: for clients that cannot pick
	// another (XML-RPC). The browser editor shows the conflict instead.
	NumberSlug bool
	// By is who saves: their role is checked (CheckWrite) and the revision
	// kept is theirs. Nil is the system (scheduled publishing, imports).
	By *models.User
}

// maxSlugTries bounds the numbering of a taken slug.
const maxSlugTries = 20

// Create stores a new post with its tags; publishing it queues its
// notifications in the same transaction.
func (s *Service) Create(ctx context.Context, p *models.Post, e Edit) error {
	if err := CheckWrite(e.By, nil, p); err != nil {
		return err
	}
	if err := s.prepare(ctx, p); err != nil {
		return err
	}
	ctx = withEditor(ctx, e.By)
	tags := models.UniqueTags(e.Tags)
	base := p.Slug
	for n := 2; ; n++ {
		err := s.store.CreatePost(ctx, p, tags)
		if err == nil {
			s.changed(ctx, Created, p)
			return nil
		}
		if !e.NumberSlug || !slugTaken(err) || n > maxSlugTries {
			return err
		}
		suffix := fmt.Sprintf("-%d", n)
		p.Slug = trimSlug(base, models.MaxSlugLen-len(suffix)) + suffix
	}
}

// Update saves an edited post. A changed slug leaves a redirect behind; a
// post that becomes published queues notifications of its new links.
func (s *Service) Update(ctx context.Context, p *models.Post, e Edit) error {
	if e.By != nil {
		old, err := s.store.PostByID(ctx, p.ID)
		if err != nil {
			return err
		}
		if err := CheckWrite(e.By, old, p); err != nil {
			return err
		}
	}
	if err := s.prepare(ctx, p); err != nil {
		return err
	}
	ctx = withEditor(ctx, e.By)
	if err := s.store.UpdatePost(ctx, p, models.UniqueTags(e.Tags)); err != nil {
		return err
	}
	s.changed(ctx, Updated, p)
	return nil
}

// Autosave keeps a writer's text as a draft. It never publishes: a new post
// is created as a draft, and a stored post is saved only while it is still a
// draft (atomically, so a publish made meanwhile in another tab stands);
// otherwise it is models.ErrConflict.
func (s *Service) Autosave(ctx context.Context, p *models.Post, tags []string) error {
	p.Status = models.StatusDraft
	if err := s.prepare(ctx, p); err != nil {
		return err
	}
	tags = models.UniqueTags(tags)
	ctx = models.AsAutosave(ctx)
	var err error
	if p.ID == 0 {
		err = s.store.CreatePost(ctx, p, tags)
	} else {
		err = s.store.UpdateDraft(ctx, p, tags)
	}
	if err != nil {
		return err
	}
	s.changed(ctx, Autosaved, p)
	return nil
}

// Publish makes the post with id live now, or at its date if that is still
// to come (then it is scheduled). A post already published or scheduled is
// left as it is. It returns the post as stored.
func (s *Service) Publish(ctx context.Context, id int64) (*models.Post, error) {
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status == models.StatusPublished || p.Status == models.StatusScheduled {
		return p, nil
	}
	Schedule(p, models.StatusPublished, p.PublishedAt, s.Now())
	return p, s.Update(ctx, p, Edit{Tags: TagNames(p.Tags)})
}

// Unpublish takes the post with id back to a draft: readers no longer see
// it, its address is kept for when it comes back, and notifications still
// queued are held.
func (s *Service) Unpublish(ctx context.Context, id int64) (*models.Post, error) {
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status == models.StatusDraft {
		return p, nil
	}
	p.Status = models.StatusDraft
	return p, s.Update(ctx, p, Edit{Tags: TagNames(p.Tags)})
}

// Delete removes the post with id, with its comments and linkbacks, and
// returns it as it was.
func (s *Service) Delete(ctx context.Context, id int64) (*models.Post, error) {
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeletePost(ctx, id); err != nil {
		return nil, err
	}
	s.changed(ctx, Deleted, p)
	return p, nil
}

// PublishDue publishes the scheduled posts whose time has come (with their
// notifications, in one transaction) and returns them.
func (s *Service) PublishDue(ctx context.Context) ([]models.Post, error) {
	due, err := s.store.PublishDue(ctx)
	if err != nil {
		return nil, err
	}
	for i := range due {
		s.changed(ctx, WentLive, &due[i])
	}
	return due, nil
}

// prepare tidies what every writer sends (title and excerpt trimmed, the
// slug made from the title when empty) and renders the body.
func (s *Service) prepare(ctx context.Context, p *models.Post) error {
	p.Title = strings.TrimSpace(p.Title)
	p.Excerpt = strings.TrimSpace(p.Excerpt)
	if p.Slug == "" {
		p.Slug = models.Slugify(p.Title)
	}
	html, err := s.markdown.HTML(ctx, p.Body)
	if err != nil {
		return err
	}
	p.BodyHTML = html
	return nil
}

// slugTaken reports whether err refuses the slug only, because another post has it.
func slugTaken(err error) bool {
	fields := models.FieldErrors(err)
	return len(fields) == 1 && fields["slug"] == models.MsgSlugTaken
}

func trimSlug(slug string, n int) string {
	if len(slug) <= n {
		return slug
	}
	return models.Slugify(slug[:n])
}

// Schedule sets a post's status and publication time; at is the time asked
// for, if any. Publishing keeps an earlier date, a future date schedules, a
// past one publishes.
func Schedule(post *models.Post, status models.PostStatus, at *time.Time, now time.Time) {
	post.Status = status
	switch post.Status {
	case models.StatusPublished, models.StatusScheduled:
		switch {
		case at != nil && at.After(now):
			post.Status, post.PublishedAt = models.StatusScheduled, at
		case at != nil:
			post.Status, post.PublishedAt = models.StatusPublished, at
		case post.Status == models.StatusScheduled:
			post.PublishedAt = nil // Validate asks for the time
		case post.PublishedAt == nil:
			t := now
			post.PublishedAt = &t
		}
	default:
		if at != nil {
			post.PublishedAt = at
		}
	}
}

// TagNames lists the names of tags.
func TagNames(tags []models.Tag) []string {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Name
	}
	return names
}

// IsNotDraft reports whether an autosave was refused because the post is no
// longer a draft (rather than for its content).
func IsNotDraft(err error) bool {
	return errors.Is(err, models.ErrConflict) && models.FieldErrors(err) == nil
}
