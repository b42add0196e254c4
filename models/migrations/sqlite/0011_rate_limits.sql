-- Login limits kept in the database (handlers/loginguard). A bucket is its
-- "theoretical arrival time" in Unix nanoseconds (GCRA: full at tat_ns), the
-- tries holding one of its tokens (in_flight, trusted until busy_until_ns)
-- and the outcome of the last reservation (granted, read back by RETURNING).
-- Keys are SHA-256 hashes, so no account name or address is kept in clear.
-- A single SQLite process keeps its limits in memory; the tables are here so
-- both dialects have the same schema.
CREATE TABLE rate_buckets (
    key_hash TEXT PRIMARY KEY,
    tat_ns INTEGER NOT NULL,
    in_flight INTEGER NOT NULL DEFAULT 0,
    busy_until_ns INTEGER NOT NULL DEFAULT 0,
    granted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX rate_buckets_tat ON rate_buckets (tat_ns);
CREATE TABLE login_failures (
    key_hash TEXT PRIMARY KEY,
    failed_ns INTEGER NOT NULL
);
CREATE INDEX login_failures_failed ON login_failures (failed_ns);
