package main

import (
	"bytes"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

const wxrFixture = "../../models/wxr/testdata/wordpress6.xml"

func TestImportAndExportWordPress(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "blog.db")
	good, err := os.ReadFile(wxrFixture)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.xml")
	if err := os.WriteFile(truncated, good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	noEnv := env(nil)
	steps := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"no kind", []string{"import", wxrFixture}, 2, "", "usage: crosstalk import wordpress"},
		{"truncated file", []string{"import", "wordpress", "--db", db, truncated}, 1, "", "line "},
		{"dry run", []string{"import", "wordpress", "--db", db, "--dry-run", wxrFixture}, 0, "would import (dry run, nothing written): 6 posts, 2 pages, 4 comments, 2 linkbacks", ""},
		{"import", []string{"import", "wordpress", "--db", db, wxrFixture}, 0, "imported: 6 posts, 2 pages, 4 comments, 2 linkbacks, 0 media files", "left linked"},
		{"again", []string{"import", "wordpress", "--db", db, wxrFixture}, 0, "imported: 0 posts, 0 pages, 0 comments, 0 linkbacks, 0 media files, 0 redirects, 0 users", ""},
		{"export needs the address", []string{"export", "wordpress", "--db", db, filepath.Join(dir, "out.xml")}, 2, "", "--base-url"},
		{"export", []string{"export", "wordpress", "--db", db, "--base-url", "https://blog.example", filepath.Join(dir, "out.xml")}, 0, "exported 6 posts, 2 pages, 4 comments, 2 linkbacks", ""},
		{"export keeps files", []string{"export", "wordpress", "--db", db, "--base-url", "https://blog.example", filepath.Join(dir, "out.xml")}, 1, "", "exists already"},
	}
	fresh := filepath.Join(dir, "fresh.db")
	if code, out, errOut := runCmd(t, "", noEnv, "import", "wordpress", "--db", fresh, "--dry-run", wxrFixture); code != 0 || !strings.Contains(out, "6 posts") {
		t.Fatalf("dry run into a new database: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Error("a dry run created the database")
	}
	for _, s := range steps {
		code, out, errOut := runCmd(t, "", noEnv, s.args...)
		if code != s.code || !strings.Contains(out, s.stdout) || !strings.Contains(out+errOut, s.stderr) {
			t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", s.name, code, out, errOut)
		}
	}
	if !strings.Contains(mustRead(t, filepath.Join(dir, "out.xml")), "<wp:wxr_version>1.2</wp:wxr_version>") {
		t.Error("the export is not WXR 1.2")
	}
}

func TestImportRefusesARunningSQLiteBlog(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "blog.db")
	if err := os.WriteFile(db+"-wal", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd(t, "", env(nil), "import", "wordpress", "--db", db, wxrFixture)
	if code != 1 || !strings.Contains(errOut, "seems to be running") || !strings.Contains(errOut, "Stop it") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("the database was opened")
	}
	code, out, errOut := runCmd(t, "", env(nil), "import", "wordpress", "--db", db, "--force", wxrFixture)
	if code != 0 || !strings.Contains(out, "imported: 6 posts") {
		t.Fatalf("--force: exit %d: %s %s", code, out, errOut)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportFetchesMediaThroughTheSafeClient: --fetch-media goes through
// the safe client, which refuses the loopback address unless the
// private-network switch is on.
func TestImportFetchesMediaThroughTheSafeClient(t *testing.T) {
	var img bytes.Buffer
	if err := jpeg.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	var fetched atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/wp-content/uploads/2020/03/photo.jpg" {
			http.NotFound(w, r)
			return
		}
		fetched.Add(1)
		_, _ = w.Write(img.Bytes())
	}))
	defer srv.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "export.xml")
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(mustRead(t, wxrFixture), "https://old.example", srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", env(nil), "import", "wordpress", "--db", filepath.Join(dir, "a.db"), "--fetch-media", file)
	if code != 0 || !strings.Contains(out, "0 media files") || fetched.Load() != 0 || !strings.Contains(out, "left linked") {
		t.Fatalf("loopback fetched without the switch: exit %d, %d fetches\n%s%s", code, fetched.Load(), out, errOut)
	}
	code, out, errOut = runCmd(t, "", env(map[string]string{"CROSSTALK_ALLOW_PRIVATE_NETWORK": "1"}),
		"import", "wordpress", "--db", filepath.Join(dir, "b.db"), "--fetch-media", file)
	if code != 0 || !strings.Contains(out, "1 media files") || fetched.Load() != 1 {
		t.Fatalf("with the switch: exit %d, %d fetches\n%s%s", code, fetched.Load(), out, errOut)
	}
}
