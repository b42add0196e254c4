// Package assets serves Crosstalk's embedded CSS, JavaScript and images under
// content-hashed URLs, so browsers may cache them for a year.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var embedded embed.FS

// Embedded returns the built-in asset files.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "static")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	return sub
}

// Assets holds every asset file in memory with its content hash.
type Assets struct {
	files map[string]file
}

type file struct {
	body []byte
	hash string
	mime string
}

// Load reads every file of fsys once, at start-up.
func Load(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]file{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := contentType(path.Ext(p))
		a.files[p] = file{body: body, hash: hex.EncodeToString(sum[:])[:12], mime: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return a, nil
}

// contentType is the type of an asset by its extension. The theme's usual
// kinds are known here: mime.TypeByExtension would read the system's MIME
// tables (some 400 KB kept for the life of the process) to name them.
func contentType(ext string) string {
	switch strings.ToLower(ext) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/vnd.microsoft.icon"
	case ".woff2":
		return "font/woff2"
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// URL is the cache-busting address of the asset name, for templates.
func (a *Assets) URL(name string) string {
	f, ok := a.files[name]
	if !ok {
		return "/assets/" + name
	}
	return "/assets/" + f.hash + "/" + name
}

// ServeHTTP serves /assets/HASH/NAME with a year-long immutable cache, and
// /assets/NAME (an unversioned link) with a short one.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/assets/")
	name, cache := rest, "public, max-age=300"
	if hash, after, ok := strings.Cut(rest, "/"); ok {
		if f, found := a.files[after]; found && f.hash == hash {
			name, cache = after, "public, max-age=31536000, immutable"
		}
	}
	f, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.mime)
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("ETag", `"`+f.hash+`"`)
	if r.Header.Get("If-None-Match") == `"`+f.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(f.body)
}
