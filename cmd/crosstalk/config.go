package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
)

// errUsage means the flags were wrong; the flag package has said why.
var errUsage = errors.New("usage")

// errHelp means help was asked for and printed.
var errHelp = errors.New("help")

// config is the server's configuration: flags, each with an environment
// variable of the same meaning (the flag wins).
type config struct {
	Addr                string
	DB                  string
	BaseURL             string
	AllowPrivateNetwork bool
	ThemeDir            string
	TrustedProxies      string
	LogJSON             bool
	PingLimitIP         int
	PingLimitPost       int
	MaxUploadBytes      int64
	OutboxPerHost       int
	OutboxLease         time.Duration
}

func envInt(getenv func(string) string, key string, def int) int {
	if n, err := strconv.Atoi(getenv(key)); err == nil {
		return n
	}
	return def
}

func envString(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(getenv func(string) string, key string) bool {
	b, _ := strconv.ParseBool(getenv(key))
	return b
}

// envInt64 reads an integer variable; a malformed one is ignored (the
// default stays), as envBool does.
func envInt64(getenv func(string) string, key string, def int64) int64 {
	if n, err := strconv.ParseInt(getenv(key), 10, 64); err == nil {
		return n
	}
	return def
}

// envDuration reads a duration variable such as "90s"; a malformed one is
// ignored (the default stays), as envInt does.
func envDuration(getenv func(string) string, key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(getenv(key)); err == nil {
		return d
	}
	return def
}

// dbFlag adds --db to a flag set.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("db", envString(getenv, "CROSSTALK_DB", "crosstalk.db"),
		"SQLite database file, or a postgres:// URL for PostgreSQL (CROSSTALK_DB)")
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", envString(getenv, "CROSSTALK_ADDR", "127.0.0.1:8080"), "address to listen on (CROSSTALK_ADDR)")
	db := dbFlag(fs, getenv)
	fs.StringVar(&cfg.BaseURL, "base-url", getenv("CROSSTALK_BASE_URL"), "public URL used in permalinks, feeds and pings (CROSSTALK_BASE_URL; default from --addr)")
	fs.BoolVar(&cfg.AllowPrivateNetwork, "allow-private-network", envBool(getenv, "CROSSTALK_ALLOW_PRIVATE_NETWORK"),
		"let outbound fetches reach loopback and private addresses, for tests and intranets (CROSSTALK_ALLOW_PRIVATE_NETWORK)")
	fs.StringVar(&cfg.ThemeDir, "theme-dir", getenv("CROSSTALK_THEME_DIR"), "folder whose templates/ and assets/ override the built-in ones (CROSSTALK_THEME_DIR)")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", getenv("CROSSTALK_TRUSTED_PROXIES"), "comma-separated proxy addresses allowed to set X-Forwarded-For (CROSSTALK_TRUSTED_PROXIES)")
	fs.IntVar(&cfg.PingLimitIP, "ping-limit-ip", envInt(getenv, "CROSSTALK_PING_LIMIT_IP", 10), "TrackBacks, Pingbacks and Webmentions accepted per minute from one address (CROSSTALK_PING_LIMIT_IP)")
	fs.IntVar(&cfg.PingLimitPost, "ping-limit-post", envInt(getenv, "CROSSTALK_PING_LIMIT_POST", 30), "TrackBacks, Pingbacks and Webmentions accepted per minute to one post (CROSSTALK_PING_LIMIT_POST)")
	fs.Int64Var(&cfg.MaxUploadBytes, "max-upload-bytes", envInt64(getenv, "CROSSTALK_MAX_UPLOAD_BYTES", models.DefaultMaxUploadBytes),
		"largest media file accepted, in bytes (CROSSTALK_MAX_UPLOAD_BYTES)")
	fs.IntVar(&cfg.OutboxPerHost, "outbox-per-host", envInt(getenv, "CROSSTALK_OUTBOX_PER_HOST", models.DefaultPerHost),
		"linkback notifications sent to one host at once, across all instances (CROSSTALK_OUTBOX_PER_HOST)")
	fs.DurationVar(&cfg.OutboxLease, "outbox-lease", envDuration(getenv, "CROSSTALK_OUTBOX_LEASE", jobs.DefaultLease),
		"how long a crashed instance's notifications wait before another sends them again (CROSSTALK_OUTBOX_LEASE)")
	fs.BoolVar(&cfg.LogJSON, "log-json", envBool(getenv, "CROSSTALK_LOG_JSON"), "log as JSON lines (CROSSTALK_LOG_JSON)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage, "\nFlags of serve:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, errHelp
		}
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return cfg, errUsage
	}
	cfg.DB = *db
	if cfg.PingLimitIP < 1 || cfg.PingLimitPost < 1 || cfg.MaxUploadBytes <= 0 || cfg.OutboxPerHost < 1 {
		fmt.Fprintln(stderr, "serve: --ping-limit-ip, --ping-limit-post, --max-upload-bytes and --outbox-per-host must be positive")
		return cfg, errUsage
	}
	if cfg.OutboxLease < jobs.MinLease {
		fmt.Fprintf(stderr, "serve: --outbox-lease must be at least %s (longer than one ping may take)\n", jobs.MinLease)
		return cfg, errUsage
	}
	var err error
	cfg.BaseURL, err = baseURL(cfg.BaseURL, cfg.Addr)
	return cfg, err
}

// baseURL checks the public URL, or derives one from the listen address.
func baseURL(raw, addr string) (string, error) {
	if raw == "" {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return "", fmt.Errorf("--addr %q: %w", addr, err)
		}
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		return "http://" + net.JoinHostPort(host, port), nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("--base-url %q: give an absolute http or https URL", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
