package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func runCmd(t *testing.T, stdin string, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "blog.db")
	noEnv := env(nil)
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"version", "", []string{"version"}, 0, "crosstalk dev", ""},
		{"help", "", []string{"--help"}, 0, "", "crosstalk user add"},
		{"serve help", "", []string{"serve", "--help"}, 0, "", "CROSSTALK_ALLOW_PRIVATE_NETWORK"},
		{"unknown", "", []string{"frobnicate"}, 2, "", "unknown command"},
		{"user add", "a long password\n", []string{"user", "add", "--name", "ann", "--email", "ann@example.com", "--password-stdin", "--db", db}, 0, "created administrator ann", ""},
		{"user add contributor", "a long password\n", []string{"user", "add", "--name", "cory", "--email", "c@example.com", "--role", "contributor",
			"--display-name", "Cory Doe", "--password-stdin", "--db", db}, 0, "created contributor cory", ""},
		{"user add bad role", "a long password\n", []string{"user", "add", "--name", "dee", "--email", "d@example.com", "--role", "owner", "--password-stdin", "--db", db}, 2, "", "--role \"owner\""},
		{"user reset-link", "", []string{"user", "reset-link", "--name", "cory", "--base-url", "https://blog.example", "--db", db}, 0, "https://blog.example/login/reset?token=", ""},
		{"user reset-link unknown", "", []string{"user", "reset-link", "--name", "nobody", "--db", db}, 1, "", "no user"},
		{"user add again", "a long password\n", []string{"user", "add", "--name", "ann", "--email", "ann@example.com", "--password-stdin", "--db", db}, 1, "", "exists already"},
		{"user add weak", "short\n", []string{"user", "add", "--name", "bob", "--email", "bob@example.com", "--password-stdin", "--db", db}, 1, "", "at least 10"},
		{"user passwd", "another long password\n", []string{"user", "passwd", "--name", "ann", "--password-stdin", "--db", db}, 0, "password changed", ""},
		{"user no stdin flag", "", []string{"user", "add", "--name", "x"}, 2, "", "--password-stdin"},
		{"bad base url", "", []string{"serve", "--base-url", "ftp://x", "--db", db}, 1, "", "absolute http or https"},
		{"bad metrics network", "", []string{"serve", "--metrics-allow", "10.0.0.0/33", "--db", db}, 2, "", "--metrics-allow \"10.0.0.0/33\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tt.stdin, noEnv, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.code, out, tt.stdout, errOut, tt.stderr)
			}
		})
	}
	store, err := models.OpenSQLite(context.Background(), db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, err := store.UserByLogin(context.Background(), "ann")
	if err != nil || !models.CheckPassword(u, "another long password") {
		t.Errorf("passwd did not take: %v", err)
	}
	cory, err := store.UserByLogin(context.Background(), "cory")
	if err != nil || cory.Role != models.RoleContributor || cory.Byline() != "Cory Doe" {
		t.Errorf("user add --role --display-name: %+v, %v", cory, err)
	}
}

func TestEnvironmentConfig(t *testing.T) {
	cfg, err := parseServeFlags(nil, env(map[string]string{
		"CROSSTALK_ADDR": "127.0.0.1:9999", "CROSSTALK_DB": "/tmp/x.db", "CROSSTALK_ALLOW_PRIVATE_NETWORK": "true",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9999" || cfg.DB != "/tmp/x.db" || !cfg.AllowPrivateNetwork || cfg.BaseURL != "http://127.0.0.1:9999" {
		t.Errorf("config from env = %+v", cfg)
	}
	cfg, err = parseServeFlags([]string{"--addr", "0.0.0.0:80", "--base-url", "https://blog.example/"}, env(map[string]string{"CROSSTALK_ADDR": "127.0.0.1:1"}), io.Discard)
	if err != nil || cfg.Addr != "0.0.0.0:80" || cfg.BaseURL != "https://blog.example" || cfg.AllowPrivateNetwork {
		t.Errorf("flags must win over env: %+v %v", cfg, err)
	}
}

// TestServeAndBackup runs the whole blog, takes a backup while it serves,
// then shuts it down gracefully.
func TestServeAndBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config{Addr: ln.Addr().String(), DB: db, BaseURL: "http://" + ln.Addr().String()}
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := newApp(ctx, cfg, newLogger(logs, false))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, nil) }()

	res, err := http.Get(cfg.BaseURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("home: %d", res.StatusCode)
	}
	res, err = http.Get(cfg.BaseURL + "/setup?token=" + a.setupToken)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("setup page with the logged token: %v %v", err, res.StatusCode)
	}
	res.Body.Close()

	backupFile := filepath.Join(dir, "copy.db")
	if code, _, errOut := runCmd(t, "", env(nil), "backup", "--db", db, backupFile); code != 0 {
		t.Fatalf("backup while serving: %s", errOut)
	}
	copyStore, err := models.OpenSQLite(context.Background(), backupFile, models.Options{})
	if err != nil {
		t.Fatalf("backup is not a database: %v", err)
	}
	if v, _ := copyStore.SchemaVersion(context.Background()); v == 0 {
		t.Error("backup has no schema")
	}
	copyStore.Close()
	if code, _, _ := runCmd(t, "", env(nil), "backup", "--db", db, backupFile); code != 1 {
		t.Error("backup must refuse to overwrite a file")
	}
	missing := filepath.Join(dir, "typo.db")
	if code, _, errOut := runCmd(t, "", env(nil), "backup", "--db", missing, filepath.Join(dir, "x.db")); code != 1 || !strings.Contains(errOut, "not an existing database") {
		t.Errorf("backup of a mistyped --db: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("backup created the database it was asked to copy")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop")
	}
	if !strings.Contains(logs.String(), "/setup?token=") {
		t.Error("the setup URL was not logged")
	}
	if _, err := os.Stat(db); err != nil {
		t.Error(err)
	}
}

func TestMaxUploadConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    int64
		wantErr bool
	}{
		{"default", nil, nil, models.DefaultMaxUploadBytes, false},
		{"env", nil, map[string]string{"CROSSTALK_MAX_UPLOAD_BYTES": "2048"}, 2048, false},
		{"flag wins", []string{"--max-upload-bytes", "4096"}, map[string]string{"CROSSTALK_MAX_UPLOAD_BYTES": "2048"}, 4096, false},
		{"zero refused", []string{"--max-upload-bytes", "0"}, nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseServeFlags(tt.args, env(tt.env), io.Discard)
			if (err != nil) != tt.wantErr || (!tt.wantErr && cfg.MaxUploadBytes != tt.want) {
				t.Errorf("got %d, %v; want %d (error %v)", cfg.MaxUploadBytes, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestPageCacheBytesFlag(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want int64
	}{
		{"default", nil, nil, 64 << 20},
		{"environment", nil, map[string]string{"CROSSTALK_PAGE_CACHE_BYTES": "1048576"}, 1 << 20},
		{"flag wins", []string{"--page-cache-bytes", "0"}, map[string]string{"CROSSTALK_PAGE_CACHE_BYTES": "1048576"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseServeFlags(tt.args, env(tt.env), io.Discard)
			if err != nil || cfg.PageCacheBytes != tt.want {
				t.Errorf("got %d, %v; want %d", cfg.PageCacheBytes, err, tt.want)
			}
		})
	}
}

func TestMalformedConfigStopsStartUp(t *testing.T) {
	db := filepath.Join(t.TempDir(), "blog.db")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"int variable", nil, map[string]string{"CROSSTALK_PING_LIMIT_IP": "ten"}, `CROSSTALK_PING_LIMIT_IP="ten": give a whole number`},
		{"int64 variable", nil, map[string]string{"CROSSTALK_MAX_UPLOAD_BYTES": "1MB"}, `CROSSTALK_MAX_UPLOAD_BYTES="1MB"`},
		{"bool variable", nil, map[string]string{"CROSSTALK_LOG_JSON": "yes please"}, `CROSSTALK_LOG_JSON="yes please": give true or false`},
		{"flag", []string{"--ping-limit-post", "ten"}, nil, `invalid value "ten" for flag -ping-limit-post`},
		{"trusted proxy", []string{"--trusted-proxies", "proxy.example"}, nil, `"proxy.example"`},
		{"page cache variable", nil, map[string]string{"CROSSTALK_PAGE_CACHE_BYTES": "64MiB"}, `CROSSTALK_PAGE_CACHE_BYTES="64MiB": give a whole number`},
		{"negative page cache", []string{"--page-cache-bytes", "-1"}, nil, "--page-cache-bytes must be 0 (off) or positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := map[string]string{"CROSSTALK_DB": db, "CROSSTALK_ADDR": "127.0.0.1:0"}
			for k, v := range tt.env {
				e[k] = v
			}
			code, _, stderr := runCmd(t, "", env(e), append([]string{"serve"}, tt.args...)...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want it to name %s", code, stderr, tt.want)
			}
		})
	}
}

func TestMetricsFlags(t *testing.T) {
	cfg, err := parseServeFlags([]string{"--metrics-addr", "127.0.0.1:9100"},
		env(map[string]string{"CROSSTALK_METRICS_ALLOW": "10.0.0.0/8, 192.0.2.7"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}
	if cfg.MetricsAddr != "127.0.0.1:9100" || len(cfg.MetricsAllow) != 2 || cfg.MetricsAllow[0] != want[0] || cfg.MetricsAllow[1] != want[1] {
		t.Errorf("metrics config = %q %v", cfg.MetricsAddr, cfg.MetricsAllow)
	}
}
