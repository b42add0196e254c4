package models

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

//go:embed migrations
var migrationFiles embed.FS

type dialect string

const (
	dialectSQLite   dialect = "sqlite"
	dialectPostgres dialect = "postgres"
)

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations of a dialect in version order.
// Files are named NNNN_description.sql.
func migrations(d dialect) ([]migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies, each in its own transaction, every migration newer than the
// database's version, up to upTo (0: all). Existing data is kept.
func (s *Store) migrate(ctx context.Context, d dialect, upTo int) error {
	db := s.db.WithContext(ctx)
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := lockMigrations(tx, d); err != nil {
			return err
		}
		return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`).Error
	})
	if err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	list, err := migrations(d)
	if err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	if err := s.refuseNewerSchema(ctx, list); err != nil {
		return err
	}
	for _, m := range list {
		if upTo > 0 && m.version > upTo {
			break
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := lockMigrations(tx, d); err != nil {
				return err
			}
			var n int64
			if err := tx.Table("schema_migrations").Where("version = ?", m.version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := tx.Exec(m.sql).Error; err != nil {
				return err
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
	}
	return nil
}

// ErrSchemaTooNew means the database was upgraded by a newer release: this
// binary does not know its tables and must not write to them.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// refuseNewerSchema fails when the database holds a migration this binary
// does not have, naming the version a binary needs to run on it.
func (s *Store) refuseNewerSchema(ctx context.Context, known []migration) error {
	have, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("store: schema version: %w", err)
	}
	newest := 0
	if len(known) > 0 {
		newest = known[len(known)-1].version
	}
	if have > newest {
		return fmt.Errorf("store: %w: the database is at schema version %d, this Crosstalk knows versions up to %d; "+
			"run a Crosstalk release that knows schema version %d (or restore a backup made before the upgrade)",
			ErrSchemaTooNew, have, newest, have)
	}
	return nil
}

// migrationLock is the PostgreSQL advisory lock key that serialises
// migrations when several instances start at once.
const migrationLock = 7_220_417_001

// lockMigrations holds the lock until tx ends. SQLite needs none: its
// transactions already take the write lock at BEGIN.
func lockMigrations(tx *gorm.DB, d dialect) error {
	if d != dialectPostgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLock).Error
}

// SchemaVersion is the newest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v *int
	err := s.db.WithContext(ctx).Raw("SELECT MAX(version) FROM schema_migrations").Scan(&v).Error
	if err != nil || v == nil {
		return 0, err
	}
	return *v, nil
}
