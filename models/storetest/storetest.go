// Package storetest gives tests a fresh, empty database: an SQLite file in a
// temporary folder, or, when CROSSTALK_TEST_POSTGRES holds a PostgreSQL URL,
// a new schema there that is dropped afterwards. Running a suite twice, once
// with the variable set, proves the store works on both.
package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// EnvPostgres names the variable holding the PostgreSQL URL for tests.
const EnvPostgres = "CROSSTALK_TEST_POSTGRES"

// Target returns what models.Open takes: a fresh SQLite path, or a
// PostgreSQL URL whose search_path is a new, empty schema.
func Target(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		return filepath.Join(t.TempDir(), "test.db")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvPostgres, err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if db, err := admin.DB(); err == nil {
			if err := db.Close(); err != nil {
				t.Errorf("storetest: close: %v", err)
			}
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s is not a URL: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Exec runs statements in one transaction on the database at target (as
// Target returned it, after the store has made its schema): for tests and
// benchmarks that seed a large amount of data in one go.
func Exec(t testing.TB, target string, statements ...string) {
	t.Helper()
	dialector := sqlite.Open("file:" + target + "?_foreign_keys=on&_busy_timeout=5000&_txlock=immediate")
	if IsPostgres(target) {
		dialector = postgres.Open(target)
	}
	db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("storetest: open %s: %v", target, err)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		for _, s := range statements {
			if err := tx.Exec(s).Error; err != nil {
				return fmt.Errorf("%w in %.200s", err, s)
			}
		}
		return nil
	})
	if sqlDB, cerr := db.DB(); cerr == nil {
		_ = sqlDB.Close()
	}
	if err != nil {
		t.Fatalf("storetest: exec: %v", err)
	}
}

// IsPostgres reports whether target (from Target) is a PostgreSQL URL.
func IsPostgres(target string) bool { return strings.HasPrefix(target, "postgres") }

// Clock is a settable clock for tests, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a Clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
