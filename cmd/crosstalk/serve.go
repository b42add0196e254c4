package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strings"

	"github.com/crosstalk/crosstalk/handlers"
)

// newLogger writes text or JSON lines with secrets redacted from every
// string and error value (passwords in URLs and DSNs, such as the PostgreSQL
// --db; URL userinfo); a line logged while serving a request carries that
// request's request_id.
func newLogger(w io.Writer, json bool) *slog.Logger {
	opts := &slog.HandlerOptions{ReplaceAttr: redactAttr}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if json {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(handlers.LogHandler(h))
}

var (
	// userinfoRE finds "scheme://user:password@" and "scheme://token@".
	userinfoRE = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@\s:]*)(:[^/?#@\s]*)?@`)
	// passwordRE finds key=value DSN passwords: "password=secret", "password='s p'".
	passwordRE = regexp.MustCompile(`(?i)\b(password|passwd|pwd)=('[^']*'|\S+)`)
)

// redact hides the secrets in s.
func redact(s string) string {
	if !strings.Contains(s, "@") && !strings.Contains(s, "=") {
		return s
	}
	s = userinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfoRE.FindStringSubmatch(m)
		if sub[3] == "" { // a lone user name may be a token
			return sub[1] + "redacted@"
		}
		return sub[1] + sub[2] + ":redacted@"
	})
	return passwordRE.ReplaceAllString(s, "${1}=redacted")
}

func redactAttr(_ []string, a slog.Attr) slog.Attr {
	switch v := a.Value.Any().(type) {
	case string:
		if r := redact(v); r != v {
			a.Value = slog.StringValue(r)
		}
	case error:
		if msg := v.Error(); redact(msg) != msg {
			a.Value = slog.StringValue(redact(msg))
		}
	}
	return a
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogJSON)
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return errors.Join(err, a.store.Close())
	}
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return errors.Join(err, ln.Close(), a.store.Close())
		}
	}
	return a.serve(ctx, ln, metricsLn)
}
