// Package wpimport moves a WordPress blog into Crosstalk and back: Import
// stores a WXR file's authors, terms, posts, pages, attachments, comments
// and linkbacks, with redirects from every old address; Export writes the
// blog as WXR 1.2. An import is one transaction: a failure, or a dry run,
// leaves the database as it was; a second run of the same file adds nothing
// (what each WordPress id became is remembered). Imported posts are written
// beside the post service, so nothing is pinged or federated.
package wpimport

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/wxr"
)

// Store is what an import needs of the store.
type Store interface {
	Import(ctx context.Context, source string, dryRun bool, fn func(*models.ImportTx) error) error
}

// Renderer renders a stored body to sanitised HTML (models/markup).
type Renderer interface {
	HTML(ctx context.Context, markdown string) (string, error)
}

// Options configures an import.
type Options struct {
	Markdown Renderer
	// Uploads is a copy of the old site's wp-content/uploads folder.
	Uploads string
	// Fetch, when set, gets a file of the old site (through the safe client).
	Fetch func(ctx context.Context, url string) ([]byte, error)
	// DryRun counts what would happen and writes nothing.
	DryRun bool
	// MaxMediaBytes bounds one media file (models.DefaultMaxUploadBytes if 0).
	MaxMediaBytes int64
	// Progress hears how far the import is, in steps of total.
	Progress func(done, total int)
	Now      func() time.Time
}

// Summary is what an import did (or, dry, would do).
type Summary struct {
	Users, Categories, Tags        int
	Posts, Pages, Media            int
	Comments, Linkbacks, Redirects int
	Skipped                        int // already imported, or of a type not imported
	Warnings                       []string
}

func (s *Summary) warn(format string, args ...any) {
	if len(s.Warnings) < 1000 {
		s.Warnings = append(s.Warnings, fmt.Sprintf(format, args...))
	}
}

// importer is one run's state.
type importer struct {
	ctx  context.Context
	o    Options
	doc  *wxr.Document
	tx   *models.ImportTx
	sum  *Summary
	tz   *time.Location
	now  time.Time
	site *url.URL
	// hosts are the old site's host names (without www.).
	hosts map[string]bool
	// users by login; categories and tags by WordPress slug.
	users      map[string]int64
	defaultUID int64
	categories map[string]int64
	tags       map[string]int64
	// posts are the WordPress ids of this file's posts and pages, with
	// their local rows; newPosts the ones this run created.
	posts    map[int64]*models.Post
	newPosts []*newPost
	// oldPaths maps an old permalink path to its post's new path.
	oldPaths map[string]string
	// media maps an upload's path on the old site to its local address.
	media       map[string]string
	mediaIDs    map[string]int64
	mediaByWPID map[int64]string
	attached    map[int64][]int64 // post id → its attachments' ids
	wouldFetch  map[string]bool   // a dry run's media to fetch
	done, total int
	// err is the first store failure met where no error can be returned
	// (while rewriting links).
	err error
}

type newPost struct {
	item *wxr.Item
	post *models.Post
}

// Import stores doc. It returns what it did, or would do when o.DryRun.
func Import(ctx context.Context, store Store, doc *wxr.Document, o Options) (*Summary, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxMediaBytes <= 0 {
		o.MaxMediaBytes = models.DefaultMaxUploadBytes
	}
	im := &importer{ctx: ctx, o: o, doc: doc, sum: &Summary{}, now: o.Now().UTC(),
		hosts: map[string]bool{}, users: map[string]int64{}, categories: map[string]int64{},
		tags: map[string]int64{}, posts: map[int64]*models.Post{}, oldPaths: map[string]string{},
		media: map[string]string{}, mediaIDs: map[string]int64{}, mediaByWPID: map[int64]string{}, attached: map[int64][]int64{}, wouldFetch: map[string]bool{}}
	source := im.source()
	im.tz = siteZone(doc.Items)
	sort.SliceStable(doc.Items, func(i, j int) bool { return doc.Items[i].ID < doc.Items[j].ID })
	im.total = len(doc.Items) * 2
	err := store.Import(ctx, source, o.DryRun, func(tx *models.ImportTx) error {
		im.tx = tx
		return im.run()
	})
	if err != nil {
		return nil, err
	}
	return im.sum, nil
}

// source names the old site: its address, without a trailing slash.
func (im *importer) source() string {
	c := &im.doc.Channel
	for _, s := range []string{c.BaseBlogURL, c.BaseSiteURL, c.Link} {
		if u, err := url.Parse(strings.TrimRight(s, "/")); err == nil && u.Host != "" {
			if im.site == nil {
				im.site = u
			}
			im.hosts[hostKey(u.Host)] = true
		}
	}
	if im.site == nil {
		return "unknown"
	}
	return strings.TrimRight(im.site.String(), "/")
}

func hostKey(h string) string { return strings.TrimPrefix(strings.ToLower(h), "www.") }

func (im *importer) step() {
	im.done++
	if im.o.Progress != nil {
		im.o.Progress(im.done, im.total)
	}
}

func (im *importer) run() error {
	if err := im.importUsers(); err != nil {
		return err
	}
	if err := im.importTerms(); err != nil {
		return err
	}
	for i := range im.doc.Items {
		it := &im.doc.Items[i]
		if it.Type == "attachment" {
			if err := im.importAttachment(it); err != nil {
				return fmt.Errorf("attachment %d (line %d): %w", it.ID, it.Line, err)
			}
			im.step()
		}
	}
	skipped := map[string]int{}
	for i := range im.doc.Items {
		it := &im.doc.Items[i]
		switch it.Type {
		case "attachment":
			continue
		case "post", "page":
			if err := im.importPost(it); err != nil {
				return fmt.Errorf("%s %d (line %d): %w", it.Type, it.ID, it.Line, err)
			}
		default:
			im.sum.Skipped++
			skipped[it.Type]++
		}
		im.step()
	}
	for _, typ := range slices.Sorted(maps.Keys(skipped)) {
		im.sum.warn("%d items of type %s not imported (Crosstalk has no such thing)", skipped[typ], typ)
	}
	for _, np := range im.newPosts {
		if err := im.finishPost(np); err != nil {
			return fmt.Errorf("%s %d (line %d): %w", np.item.Type, np.item.ID, np.item.Line, err)
		}
	}
	for i := range im.doc.Items {
		it := &im.doc.Items[i]
		if p := im.posts[it.ID]; p != nil && len(it.Comments) > 0 {
			if err := im.importComments(it, p); err != nil {
				return fmt.Errorf("comments of %s %d (line %d): %w", it.Type, it.ID, it.Line, err)
			}
		}
		im.step()
	}
	return nil
}
