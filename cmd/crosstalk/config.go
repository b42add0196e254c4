package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/crosstalk/crosstalk/handlers/pagecache"
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
	// MetricsAddr, if set, serves /metrics (and /healthz) on a listener of
	// its own; the main one then answers /metrics with 404.
	MetricsAddr string
	// MetricsAllow are the networks /metrics answers besides loopback.
	MetricsAllow   []netip.Prefix
	PageCacheBytes int64
	// SMTPURL, if set, is the mail server (smtp://user:pass@host:587);
	// SMTPFrom the sender address. Each wins over its field of the
	// Settings page's Email fieldset; with neither naming a server the blog
	// sends no email.
	SMTPURL  string
	SMTPFrom string
}

func envString(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// envReader reads typed environment variables, remembering each malformed
// one so start-up can stop with a message naming it.
type envReader struct {
	getenv func(string) string
	bad    []string
}

func (e *envReader) fail(key, v, want string) {
	e.bad = append(e.bad, fmt.Sprintf("%s=%q: %s", key, v, want))
}

func (e *envReader) int(key string, def int) int { return int(e.int64(key, int64(def))) }

func (e *envReader) int64(key string, def int64) int64 {
	v := e.getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		e.fail(key, v, "give a whole number")
		return def
	}
	return n
}

func (e *envReader) bool(key string) bool {
	v := e.getenv(key)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		e.fail(key, v, "give true or false")
	}
	return b
}

// duration reads a duration variable such as "90s".
func (e *envReader) duration(key string, def time.Duration) time.Duration {
	v := e.getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.fail(key, v, "give a duration such as 90s or 2m")
		return def
	}
	return d
}

// check prints every malformed variable and refuses to start.
func (e *envReader) check(stderr io.Writer) error {
	for _, b := range e.bad {
		fmt.Fprintln(stderr, "serve: environment variable "+b)
	}
	if len(e.bad) > 0 {
		return errUsage
	}
	return nil
}

// dbFlag adds --db to a flag set.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("db", envString(getenv, "CROSSTALK_DB", "crosstalk.db"),
		"SQLite database file, or a postgres:// URL for PostgreSQL (CROSSTALK_DB)")
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	ev := &envReader{getenv: getenv}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", envString(getenv, "CROSSTALK_ADDR", "127.0.0.1:8080"), "address to listen on (CROSSTALK_ADDR)")
	db := dbFlag(fs, getenv)
	fs.StringVar(&cfg.BaseURL, "base-url", getenv("CROSSTALK_BASE_URL"), "public URL used in permalinks, feeds and pings (CROSSTALK_BASE_URL; default from --addr)")
	fs.BoolVar(&cfg.AllowPrivateNetwork, "allow-private-network", ev.bool("CROSSTALK_ALLOW_PRIVATE_NETWORK"),
		"let every outbound fetch (discovery, pings, verification, Pingback sources) reach loopback, private,\n"+
			"link-local and other reserved addresses, on any port: for tests and intranets only (CROSSTALK_ALLOW_PRIVATE_NETWORK)")
	fs.StringVar(&cfg.ThemeDir, "theme-dir", getenv("CROSSTALK_THEME_DIR"), "folder whose templates/ and assets/ override the built-in ones (CROSSTALK_THEME_DIR)")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", getenv("CROSSTALK_TRUSTED_PROXIES"), "comma-separated proxy addresses or CIDR prefixes whose X-Forwarded-* headers (For, Proto, Host, Prefix) are honoured; others are dropped (CROSSTALK_TRUSTED_PROXIES)")
	fs.IntVar(&cfg.PingLimitIP, "ping-limit-ip", ev.int("CROSSTALK_PING_LIMIT_IP", 10), "TrackBacks, Pingbacks and Webmentions accepted per minute from one address (CROSSTALK_PING_LIMIT_IP)")
	fs.IntVar(&cfg.PingLimitPost, "ping-limit-post", ev.int("CROSSTALK_PING_LIMIT_POST", 30), "TrackBacks, Pingbacks and Webmentions accepted per minute to one post (CROSSTALK_PING_LIMIT_POST)")
	fs.Int64Var(&cfg.MaxUploadBytes, "max-upload-bytes", ev.int64("CROSSTALK_MAX_UPLOAD_BYTES", models.DefaultMaxUploadBytes),
		"largest media file accepted, in bytes (CROSSTALK_MAX_UPLOAD_BYTES)")
	fs.IntVar(&cfg.OutboxPerHost, "outbox-per-host", ev.int("CROSSTALK_OUTBOX_PER_HOST", models.DefaultPerHost),
		"linkback notifications sent to one host at once, across all instances (CROSSTALK_OUTBOX_PER_HOST)")
	fs.DurationVar(&cfg.OutboxLease, "outbox-lease", ev.duration("CROSSTALK_OUTBOX_LEASE", jobs.DefaultLease),
		"how long a crashed instance's notifications wait before another sends them again (CROSSTALK_OUTBOX_LEASE)")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", getenv("CROSSTALK_METRICS_ADDR"),
		"serve /metrics and /healthz on this address too, and /metrics only there (CROSSTALK_METRICS_ADDR)")
	metricsAllow := fs.String("metrics-allow", getenv("CROSSTALK_METRICS_ALLOW"),
		"comma-separated addresses or CIDR prefixes that may read /metrics besides loopback; others get 404 (CROSSTALK_METRICS_ALLOW)")
	fs.Int64Var(&cfg.PageCacheBytes, "page-cache-bytes", ev.int64("CROSSTALK_PAGE_CACHE_BYTES", pagecache.DefaultMaxBytes),
		"memory for rendered pages served to anonymous readers, in bytes; 0 turns the page cache off (CROSSTALK_PAGE_CACHE_BYTES)")
	fs.StringVar(&cfg.SMTPURL, "smtp-url", getenv("CROSSTALK_SMTP_URL"),
		"mail server for password resets and comment notices, smtp://user:pass@host:587 (STARTTLS) or smtps://…:465; wins over Settings → Email; unset there too: no email (CROSSTALK_SMTP_URL)")
	fs.StringVar(&cfg.SMTPFrom, "smtp-from", getenv("CROSSTALK_SMTP_FROM"), "sender address of the blog's email; wins over Settings → Email (CROSSTALK_SMTP_FROM; default crosstalk@ the blog's host)")
	fs.BoolVar(&cfg.LogJSON, "log-json", ev.bool("CROSSTALK_LOG_JSON"), "log as JSON lines (CROSSTALK_LOG_JSON)")
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
	if err := ev.check(stderr); err != nil {
		return cfg, err
	}
	cfg.DB = *db
	for _, p := range splitList(cfg.TrustedProxies) {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				fmt.Fprintf(stderr, "serve: --trusted-proxies %q: give IP addresses or CIDR prefixes (CROSSTALK_TRUSTED_PROXIES)\n", p)
				return cfg, errUsage
			}
		}
	}
	for _, p := range splitList(*metricsAllow) {
		n, ok := parseNetwork(p)
		if !ok {
			fmt.Fprintf(stderr, "serve: --metrics-allow %q: give IP addresses or CIDR prefixes (CROSSTALK_METRICS_ALLOW)\n", p)
			return cfg, errUsage
		}
		cfg.MetricsAllow = append(cfg.MetricsAllow, n)
	}
	if cfg.OutboxLease < jobs.MinLease {
		fmt.Fprintf(stderr, "serve: --outbox-lease must be at least %s (longer than one ping may take)\n", jobs.MinLease)
		return cfg, errUsage
	}
	if cfg.PageCacheBytes < 0 {
		fmt.Fprintln(stderr, "serve: --page-cache-bytes must be 0 (off) or positive")
		return cfg, errUsage
	}
	if cfg.PingLimitIP < 1 || cfg.PingLimitPost < 1 || cfg.MaxUploadBytes <= 0 || cfg.OutboxPerHost < 1 {
		fmt.Fprintln(stderr, "serve: --ping-limit-ip, --ping-limit-post, --max-upload-bytes and --outbox-per-host must be positive")
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

// parseNetwork reads a CIDR prefix or a single address.
func parseNetwork(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), true
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
