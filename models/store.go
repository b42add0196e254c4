package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"
)

// Store is the GORM implementation of every store interface in this package.
type Store struct {
	db *gorm.DB
	// readers is SQLite's pool of query-only connections (nil on PostgreSQL).
	readers *sql.DB
	// groups commits AddFeedback calls in groups (SQLite only).
	groups *feedbackGroups
	now    func() time.Time
	// baseURL tells the blog's own links from others when queuing notifications.
	baseURL string
}

// postgresMaxConns bounds one instance's connections to PostgreSQL.
const postgresMaxConns = 20

// Options configures OpenSQLite.
type Options struct {
	// Logger receives slow queries and errors; nil discards them.
	Logger *slog.Logger
	// Now is the clock, injectable for tests; nil means time.Now.
	Now func() time.Time
	// OnQuery, if set, is called with every SQL statement run: used by
	// benchmarks to prove a page costs a constant number of queries.
	OnQuery func(sql string)
	// BaseURL is the blog's public address: links under it are the blog's
	// own, notified on publish only when the self-ping setting is on.
	BaseURL string
}

// OpenSQLite opens (creating if needed) the SQLite database at path with WAL,
// foreign keys and a busy timeout, and brings its schema up to date.
//
// SQLite takes one writer at a time. Rather than let writers race for the
// lock (and fail with "database is locked" once the busy timeout runs out),
// the store writes through a single connection, so writes queue in the
// pool, and reads go to a separate pool of query-only connections, which
// WAL lets run beside the writer. The busy timeout stays as a last resort
// for other processes (a backup) touching the file.
func OpenSQLite(ctx context.Context, path string, opts Options) (*Store, error) {
	s, err := open(sqlite.Open(sqliteDSN(path)), opts)
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, dialectSQLite, 0); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	if err := s.splitReadsAndWrites(path); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	s.startFeedbackGroups()
	return s, nil
}

// sqliteReaders is the size of the read pool.
const sqliteReaders = 8

// splitReadsAndWrites gives the store one writer connection and a pool of
// query-only readers: queries outside a transaction go to the readers,
// everything else (writes, transactions) to the writer.
func (s *Store) splitReadsAndWrites(path string) error {
	readers, err := sql.Open(sqlite.DriverName, sqliteDSN(path)+"&_query_only=true")
	if err != nil {
		return fmt.Errorf("store: read pool: %w", err)
	}
	s.readers = readers
	resolver := dbresolver.Register(dbresolver.Config{
		Replicas: []gorm.Dialector{sqlite.New(sqlite.Config{Conn: readers})},
	}).SetMaxOpenConns(sqliteReaders).SetMaxIdleConns(sqliteReaders)
	if err := s.db.Use(resolver); err != nil {
		return fmt.Errorf("store: read pool: %w", err)
	}
	// After Use: the resolver sizes every pool it knows, the writer's too.
	writer, err := s.db.DB()
	if err != nil {
		return err
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	return nil
}

// sqliteDSN asks for WAL, foreign keys and a busy timeout. _txlock=immediate
// takes the write lock at BEGIN, so two writers wait on the busy timeout
// instead of failing to upgrade a read lock.
func sqliteDSN(path string) string {
	return "file:" + path + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=5000&_txlock=immediate&_synchronous=NORMAL"
}

// OpenSQLiteAsIs opens an existing SQLite database without touching its
// schema: for backups, which must copy the database as the running server
// has it, even when this binary is newer.
func OpenSQLiteAsIs(ctx context.Context, path string, opts Options) (*Store, error) {
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		return nil, fmt.Errorf("store: %s is not an existing database file", path)
	}
	s, err := open(sqlite.Open(sqliteDSN(path)), opts)
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("store: open %s: %w", path, err), s.Close())
	}
	return s, nil
}

// OpenPostgres connects to PostgreSQL (a postgres:// URL or key=value DSN)
// and brings the schema up to date; several instances may share it.
func OpenPostgres(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s, err := open(postgres.Open(dsn), opts)
	if err != nil {
		return nil, err
	}
	// A bounded pool: a burst of requests waits for a connection instead of
	// running PostgreSQL out of them (max_connections is 100 by default and
	// is shared by every instance).
	if sqlDB, err := s.db.DB(); err == nil {
		sqlDB.SetMaxOpenConns(postgresMaxConns)
		sqlDB.SetMaxIdleConns(postgresMaxConns)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := s.migrate(ctx, dialectPostgres, 0); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

// Open picks the database from target: a postgres:// or postgresql:// URL
// opens PostgreSQL, anything else is an SQLite file path.
func Open(ctx context.Context, target string, opts Options) (*Store, error) {
	if IsPostgresURL(target) {
		return OpenPostgres(ctx, target, opts)
	}
	return OpenSQLite(ctx, target, opts)
}

// IsPostgresURL reports whether target names a PostgreSQL database.
func IsPostgresURL(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

func open(dialector gorm.Dialector, opts Options) (*Store, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	log := logger.Discard
	if opts.Logger != nil {
		log = logger.NewSlogLogger(opts.Logger, logger.Config{
			SlowThreshold: 200 * time.Millisecond, LogLevel: logger.Warn, IgnoreRecordNotFoundError: true,
		})
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 log,
		NowFunc:                func() time.Time { return now().UTC() },
		TranslateError:         true,
		SkipDefaultTransaction: true,
		// Off by default: a prepared statement runs only the first of
		// several (the migrations have many). Hot paths ask for it (prepared).
		PrepareStmt:        false,
		PrepareStmtMaxSize: preparedStatements,
	})
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if opts.OnQuery != nil {
		if err := registerQueryHook(db, opts.OnQuery); err != nil {
			return nil, err
		}
	}
	return &Store{db: db, now: func() time.Time { return now().UTC() }, baseURL: opts.BaseURL}, nil
}

// preparedStatements bounds each connection pool's cache of prepared
// statements (prepared).
const preparedStatements = 64

// prepared is the store's database for one call on a hot path: on
// SQLite, each statement is prepared once per connection and kept
// (preparing compiles the statement and the triggers it fires, a large
// part of a small query's cost). Only for statements whose text is fixed
// (no IN list of varying length), one statement each. PostgreSQL's driver
// keeps its prepared statements itself.
func (s *Store) prepared(ctx context.Context) *gorm.DB {
	if s.readers == nil {
		return s.db.WithContext(ctx)
	}
	return s.db.Session(&gorm.Session{Context: ctx, PrepareStmt: true})
}

// Close releases the database.
func (s *Store) Close() error {
	if s.groups != nil {
		s.groups.close() // what is queued is committed first
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	if s.readers != nil {
		return errors.Join(s.readers.Close(), sqlDB.Close())
	}
	return sqlDB.Close()
}

// Ping checks the database answers. On SQLite it asks the read pool once
// there is one: the single writer connection may be busy with a long
// write, which is no sign of trouble.
func (s *Store) Ping(ctx context.Context) error {
	if s.readers != nil {
		return s.readers.PingContext(ctx)
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Backup writes a consistent copy of the live database to path (SQLite's
// VACUUM INTO), safe while the server runs. PostgreSQL sites use pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.db.Name() == "postgres" {
		return fmt.Errorf("store: backup: this blog is on PostgreSQL: use pg_dump")
	}
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}

// translate maps driver errors to domain errors, keeping the original in the chain.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("store: %s: %w: %w", what, ErrConflict, err)
	default:
		return fmt.Errorf("store: %s: %w", what, err)
	}
}

func registerQueryHook(db *gorm.DB, hook func(string)) error {
	fn := func(tx *gorm.DB) {
		if !tx.DryRun { // a subquery built into another statement is not run on its own
			hook(tx.Statement.SQL.String())
		}
	}
	cb := db.Callback()
	return errors.Join(
		cb.Query().After("gorm:query").Register("crosstalk:on_query", fn),
		cb.Row().After("gorm:row").Register("crosstalk:on_row", fn),
		cb.Raw().After("gorm:raw").Register("crosstalk:on_raw", fn),
		cb.Create().After("gorm:create").Register("crosstalk:on_create", fn),
		cb.Update().After("gorm:update").Register("crosstalk:on_update", fn),
		cb.Delete().After("gorm:delete").Register("crosstalk:on_delete", fn),
	)
}
