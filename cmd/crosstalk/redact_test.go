package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestLogsRedactSecrets(t *testing.T) {
	for _, json := range []bool{false, true} {
		var b bytes.Buffer
		log := newLogger(&b, json)
		log.Info("serving", "db", "postgres://blog:s3cret-pw@127.0.0.1:5432/blog?sslmode=disable",
			"dsn", "host=db user=blog password=s3cret-pw dbname=blog", "quoted", "password='s3cret pw'",
			"url", "https://s3cret-token@hooks.example/x", "err", errors.New("dial postgres://u:s3cret-pw@db/x: refused"))
		log.Error("could not open https://a:s3cret-pw@x.example/feed")
		log.Info("harmless", "url", "https://example.com/a?b=c", "mail", "ann@example.com")
		out := b.String()
		if strings.Contains(out, "s3cret") {
			t.Errorf("json=%v: a secret was logged:\n%s", json, out)
		}
		for _, want := range []string{"postgres://blog:redacted@127.0.0.1:5432/blog?sslmode=disable", "password=redacted dbname=blog",
			"https://redacted@hooks.example/x", "postgres://u:redacted@db/x", "https://a:redacted@x.example/feed",
			"https://example.com/a?b=c", "ann@example.com"} {
			if !strings.Contains(out, want) {
				t.Errorf("json=%v: log lacks %q:\n%s", json, want, out)
			}
		}
	}
}
