package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/crosstalk/crosstalk/assets"
	"github.com/crosstalk/crosstalk/views"
)

// themeFS returns the template and asset files: the embedded ones, each
// overridden by a file of the same name under dir/templates and dir/assets.
func themeFS(dir string) (templates, assetFiles fs.FS, err error) {
	if dir == "" {
		return views.Embedded(), assets.Embedded(), nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, nil, fmt.Errorf("--theme-dir %q is not a folder", dir)
	}
	return overlay{top: os.DirFS(filepath.Join(dir, "templates")), base: views.Embedded()},
		overlay{top: os.DirFS(filepath.Join(dir, "assets")), base: assets.Embedded()}, nil
}

// overlay reads a file from top when it exists there, else from base.
type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.top.Open(name); err == nil {
		if st, err := f.Stat(); err == nil && !st.IsDir() {
			return f, nil
		}
		_ = f.Close() // read-only: nothing was written that could be lost
	}
	return o.base.Open(name)
}

// ReadDir merges both folders, so a theme can add files as well as replace them.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	base, err := fs.ReadDir(o.base, name)
	top, terr := fs.ReadDir(o.top, name)
	if err != nil && terr != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range append(top, base...) {
		if !seen[e.Name()] {
			seen[e.Name()] = true
			out = append(out, e)
		}
	}
	return out, nil
}
