package wpimport

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/wxr"
)

const uploadsDir = "/wp-content/uploads/"

// variant is WordPress's resized copy of an image: name-300x200.jpg.
var variant = regexp.MustCompile(`-\d+x\d+(\.[A-Za-z0-9]+)$`)

// uploadKey is an upload's path below wp-content/uploads ("" if the
// address is not an upload).
func uploadKey(p string) string {
	_, rest, ok := strings.Cut(p, uploadsDir)
	if !ok {
		return ""
	}
	rest = path.Clean("/" + rest)[1:]
	if rest == "" || rest == "." {
		return ""
	}
	return rest
}

// importAttachment stores an attachment's file as media.
func (im *importer) importAttachment(it *wxr.Item) error {
	if id, ok := im.tx.KnownID("media", it.ID); ok {
		m, err := im.tx.Media(id)
		if err != nil {
			return err
		}
		im.noteMedia(it, m.Path())
		im.sum.Skipped++
		return nil
	}
	raw := it.AttachmentURL
	if raw == "" {
		raw = it.GUID
	}
	u, err := url.Parse(raw)
	if err != nil {
		im.sum.warn("attachment %d: %q is not an address", it.ID, raw)
		return nil
	}
	// Another blog's attachments (a Crosstalk export's /media/ID/name) are
	// known by their path.
	key := uploadKey(u.Path)
	if key == "" {
		key = strings.TrimPrefix(path.Clean("/"+u.Path), "/")
	}
	local, id, err := im.storeUpload(u, key)
	if err != nil || id == 0 {
		return err
	}
	im.noteMedia(it, local)
	// The attachment's own page on the old site now shows the file.
	if l, err := url.Parse(it.Link); err == nil && im.hosts[hostKey(l.Host)] && l.RawQuery == "" {
		if err := im.pathRedirect(models.PathRedirect{Path: models.CleanOldPath(l.Path), MediaID: &id}); err != nil {
			return err
		}
	}
	return im.tx.Remember("media", strconv.FormatInt(it.ID, 10), it.GUID, id)
}

func (im *importer) noteMedia(it *wxr.Item, local string) {
	im.mediaByWPID[it.ID] = local
	if it.Parent != 0 {
		im.attached[it.Parent] = append(im.attached[it.Parent], it.ID)
	}
}

// upload returns the local address of an upload of the old site, storing
// it first if need be; "" leaves the link as it is.
func (im *importer) upload(u *url.URL) string {
	key := uploadKey(u.Path)
	if key == "" {
		return ""
	}
	orig := variant.ReplaceAllString(key, "$1")
	for _, k := range []string{key, orig} {
		if p, ok := im.media[k]; ok {
			return p
		}
	}
	// A resized variant maps to its original, which is what is stored.
	ou := *u
	ou.Path = strings.TrimSuffix(u.Path, key) + orig
	local, _, err := im.storeUpload(&ou, orig)
	if err != nil && im.err == nil {
		im.err = err
	}
	return local
}

// storeUpload reads an upload from the uploads folder or the old site and
// stores it; without either, or for a file that is not an image, it warns
// and returns "".
func (im *importer) storeUpload(u *url.URL, key string) (string, int64, error) {
	if key == "" || key == "." {
		im.sum.warn("%s is not a file: left linked", u)
		return "", 0, nil
	}
	if p, ok := im.media[key]; ok {
		return p, im.mediaIDs[key], nil
	}
	if id, ok := im.tx.Known("media-url", key); ok {
		m, err := im.tx.Media(id)
		if err != nil {
			return "", 0, err
		}
		im.media[key], im.mediaIDs[key] = m.Path(), id
		return m.Path(), id, nil
	}
	data, err := im.readUpload(key, u)
	if err != nil || data == nil {
		if err != nil {
			im.sum.warn("%s: %v: left linked", key, err)
		} else if !im.wouldFetch[key] { // a dry run counts what it would fetch
			im.wouldFetch[key] = true
			im.sum.Media++
		}
		return "", 0, nil
	}
	m, err := models.NewMedia(path.Base(key), data, im.o.MaxMediaBytes)
	if err != nil {
		im.sum.warn("%s: %v: left linked", key, err)
		return "", 0, nil
	}
	if err := im.tx.AddMedia(m); err != nil {
		return "", 0, err
	}
	im.sum.Media++
	im.media[key], im.mediaIDs[key] = m.Path(), m.ID
	if err := im.tx.Remember("media-url", key, "", m.ID); err != nil {
		return "", 0, err
	}
	return m.Path(), m.ID, im.pathRedirect(models.PathRedirect{Path: models.CleanOldPath(u.Path), MediaID: &m.ID})
}

// errNoSource: neither --uploads nor --fetch-media.
var errNoSource = errors.New("no copy of the uploads folder given and fetching is off")

// readUpload reads the file from the uploads folder, or fetches it from
// the old site; nil data and no error for a dry run that would fetch.
func (im *importer) readUpload(key string, u *url.URL) ([]byte, error) {
	if im.o.Uploads != "" {
		data, err := readInside(im.o.Uploads, key)
		if err == nil || im.o.Fetch == nil {
			return data, err
		}
	}
	if im.o.Fetch == nil {
		return nil, errNoSource
	}
	if im.o.DryRun {
		return nil, nil
	}
	abs := u
	if u.Host == "" && im.site != nil {
		abs = im.site.ResolveReference(u)
	}
	if abs.Scheme != "http" && abs.Scheme != "https" {
		return nil, fmt.Errorf("%q cannot be fetched", abs)
	}
	return im.o.Fetch(im.ctx, abs.String())
}

// gallery returns the addresses of a gallery's images: the ids given, or
// the images attached to the post.
func (im *importer) gallery(postID int64, ids []int64) []string {
	if len(ids) == 0 {
		ids = im.attached[postID]
	}
	var out []string
	for _, id := range ids {
		if p, ok := im.mediaByWPID[id]; ok {
			out = append(out, p)
		}
	}
	return out
}

// hasOldUpload reports whether rendered HTML still shows an old upload.
func hasOldUpload(rendered string, _ map[string]bool) bool {
	return strings.Contains(rendered, "wp-content/uploads/")
}

// readInside reads name below dir, never outside it (a key from the file
// could name ../..).
func readInside(dir, name string) ([]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = root.Close() }()
	return root.ReadFile(filepath.FromSlash(name))
}
