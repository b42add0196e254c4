// Package storetest gives tests a fresh, empty database: an SQLite file in a
// temporary folder, or, when CROSSTALK_TEST_POSTGRES holds a PostgreSQL URL,
// a new schema there that is dropped afterwards. Running a suite twice, once
// with the variable set, proves the store works on both.
package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
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
