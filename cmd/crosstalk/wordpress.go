package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/wpimport"
	"github.com/crosstalk/crosstalk/models/wxr"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
)

const importUsage = "usage: crosstalk import wordpress [--db PATH] [--uploads DIR] [--fetch-media] [--dry-run] [--force] FILE.xml\n"

// importCommand runs "import wordpress": the whole file is read (and a
// broken one refused, naming the line) before the database is opened,
// and stored in one transaction.
func importCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	if len(args) == 0 || args[0] != "wordpress" {
		fmt.Fprint(stderr, importUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("import wordpress", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs, getenv)
	uploads := fs.String("uploads", "", "a copy of the old site's wp-content/uploads folder")
	fetch := fs.Bool("fetch-media", false, "fetch images the uploads folder lacks from the old site")
	dryRun := fs.Bool("dry-run", false, "say what would be imported and write nothing")
	force := fs.Bool("force", false, "import into an SQLite database that looks in use (only if the blog is stopped)")
	ev := &envReader{getenv: getenv}
	private := fs.Bool("allow-private-network", ev.bool("CROSSTALK_ALLOW_PRIVATE_NETWORK"),
		"let --fetch-media reach private and loopback addresses (CROSSTALK_ALLOW_PRIVATE_NETWORK)")
	maxBytes := fs.Int64("max-upload-bytes", ev.int64("CROSSTALK_MAX_UPLOAD_BYTES", models.DefaultMaxUploadBytes),
		"the largest media file stored, as the blog's own limit (CROSSTALK_MAX_UPLOAD_BYTES)")
	if err := fs.Parse(args[1:]); err != nil || ev.check(stderr) != nil || *maxBytes <= 0 {
		return errUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, importUsage)
		return errUsage
	}
	if *uploads != "" {
		if st, err := os.Stat(*uploads); err != nil || !st.IsDir() {
			return fmt.Errorf("--uploads %s is not a folder", *uploads)
		}
	}
	doc, err := readWXR(fs.Arg(0))
	if err != nil {
		return err
	}
	if !models.IsPostgresURL(*db) {
		if err := sqliteNotInUse(*db, *force); err != nil {
			return err
		}
		if _, err := os.Stat(*db); *dryRun && errors.Is(err, os.ErrNotExist) {
			// A dry run creates nothing: it previews into a scratch database.
			tmp, err := os.MkdirTemp("", "crosstalk-dry-run-")
			if err != nil {
				return err
			}
			defer func() { _ = os.RemoveAll(tmp) }()
			*db = filepath.Join(tmp, "blog.db")
		}
	}
	store, err := models.Open(ctx, *db, models.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	o := wpimport.Options{Markdown: markup.New(), Uploads: *uploads, DryRun: *dryRun, MaxMediaBytes: *maxBytes}
	if *fetch {
		client := safeclient.New(safeclient.Options{AllowPrivateNetworks: *private, Timeout: time.Minute,
			MaxBodyBytes: *maxBytes + 1, UserAgent: safeclient.UserAgent(version, "")})
		o.Fetch = func(ctx context.Context, u string) ([]byte, error) { return fetchFile(ctx, client, u) }
	}
	bar := newProgress(stderr)
	o.Progress = bar.show
	sum, err := wpimport.Import(ctx, store, doc, o)
	bar.done()
	if err != nil {
		return fmt.Errorf("import stopped, nothing was written: %w", err)
	}
	verb := "imported"
	if *dryRun {
		verb = "would import (dry run, nothing written)"
	} else if err := store.Changes().Publish(ctx, models.Change{Kind: models.ChangeAll}); err != nil {
		// Blogs running on PostgreSQL drop their cached pages on this note;
		// without it they show the new posts once their caches expire.
		fmt.Fprintln(stderr, "warning: could not tell running instances to refresh their pages:", err)
	}
	printSummary(stdout, verb, sum)
	return nil
}

func readWXR(path string) (*wxr.Document, error) {
	f, err := os.Open(path) //nolint:gosec // G304: the operator names the file to import
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only: nothing to lose on close
	doc, err := wxr.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (nothing was imported)", path, err)
	}
	return doc, nil
}

// sqliteNotInUse refuses an SQLite database that a running blog holds: its
// write-ahead log exists only while a process has it open (or after a
// crash). The running blog would keep serving cached pages of the old
// content, and its writes would wait on the import's long transaction.
func sqliteNotInUse(path string, force bool) error {
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil && !force {
			return fmt.Errorf("%s%s exists: the blog seems to be running on this database. Stop it, then import "+
				"(SQLite takes one writer; on PostgreSQL the blog may keep running). If it is stopped (the file is left from a crash), add --force", path, suffix)
		}
	}
	return nil
}

func fetchFile(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the old site answered %s", resp.Status)
	}
	return io.ReadAll(resp.Body)
}

func printSummary(w io.Writer, verb string, s *wpimport.Summary) {
	fmt.Fprintf(w, "%s: %d posts, %d pages, %d comments, %d linkbacks, %d media files, %d redirects, %d users, %d categories, %d tags; %d skipped, %d warnings\n",
		verb, s.Posts, s.Pages, s.Comments, s.Linkbacks, s.Media, s.Redirects, s.Users, s.Categories, s.Tags, s.Skipped, len(s.Warnings))
	for _, msg := range s.Warnings {
		fmt.Fprintln(w, "warning:", msg)
	}
}

const exportUsage = "usage: crosstalk export wordpress [--db PATH] [--base-url URL] FILE.xml\n"

// exportCommand runs "export wordpress", writing WXR 1.2 to a new file.
func exportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	if len(args) == 0 || args[0] != "wordpress" {
		fmt.Fprint(stderr, exportUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("export wordpress", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs, getenv)
	base := fs.String("base-url", getenv("CROSSTALK_BASE_URL"), "the blog's public address, which links and attachments start with (CROSSTALK_BASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if fs.NArg() != 1 || !models.IsWebURL(*base) {
		fmt.Fprint(stderr, exportUsage+"--base-url (or CROSSTALK_BASE_URL) must be the blog's http(s) address\n")
		return errUsage
	}
	target := fs.Arg(0)
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists already: choose a new file name", target)
	}
	store, err := models.Open(ctx, *db, models.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	settings, err := store.Settings(ctx)
	if err != nil {
		return err
	}
	site := models.DefaultSite()
	title, tagline := site.Title, site.Tagline
	if v := settings[models.SettingTitle]; v != "" {
		title = v
	}
	if v := settings[models.SettingTagline]; v != "" {
		tagline = v
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".export-*.xml")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	sum, err := wpimport.Export(ctx, store, tmp, wpimport.ExportOptions{BaseURL: *base, Title: title,
		Description: tagline, Markdown: markup.New()})
	if err = errors.Join(err, tmp.Close()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported %d posts, %d pages, %d comments, %d linkbacks, %d media files, %d users, %d categories, %d tags to %s\n",
		sum.Posts, sum.Pages, sum.Comments, sum.Linkbacks, sum.Media, sum.Users, sum.Categories, sum.Tags, target)
	if sum.Media > 0 {
		fmt.Fprintln(stdout, "WordPress's importer downloads the media from "+strings.TrimRight(*base, "/")+"/media/…: keep the blog running while importing there.")
	}
	return nil
}
