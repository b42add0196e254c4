package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
)

// RateLimitStore keeps token buckets and failure marks in the database, so
// every instance on it shares them. It satisfies handlers/loginguard's Store
// (models does not import it: the methods use plain types).
//
// A bucket is one row holding its "theoretical arrival time" (GCRA): the
// bucket is full at tat_ns and holds burst - (tat-now)/every tokens before
// that, so a reservation is one atomic INSERT … ON CONFLICT DO UPDATE …
// RETURNING in integer arithmetic, the same SQL on SQLite and PostgreSQL.
// Keys are stored as SHA-256 hashes: no account name or address in clear
// (a hash of an IPv4 address can be found by trying them all, so this keeps
// names out of sight, it does not make them secret).
type RateLimitStore struct {
	db *gorm.DB
	// lease is how long a try in flight counts for others who wait: a
	// killed instance's tries stop counting after it.
	lease time.Duration
}

// RateLimits returns the store's rate-limit tables.
func (s *Store) RateLimits() *RateLimitStore {
	return &RateLimitStore{db: s.db, lease: time.Minute}
}

func rateKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// tat is a bucket's arrival time seen at @now: a bucket full in the past is
// full now.
const tatNow = `(CASE WHEN rate_buckets.tat_ns > @now THEN rate_buckets.tat_ns ELSE @now END)`

// reserveSQL takes a token when one is there (tat + every - now <= every *
// burst); granted says whether it did. Every SET expression reads the row
// as it was before the statement.
const reserveSQL = `INSERT INTO rate_buckets (key_hash, tat_ns, in_flight, busy_until_ns, granted)
VALUES (@key, @first, 1, @until, 1)
ON CONFLICT (key_hash) DO UPDATE SET
  granted = CASE WHEN ` + tatNow + ` + @every - @now <= @limit THEN 1 ELSE 0 END,
  tat_ns = CASE WHEN ` + tatNow + ` + @every - @now <= @limit THEN ` + tatNow + ` + @every ELSE rate_buckets.tat_ns END,
  in_flight = CASE WHEN rate_buckets.busy_until_ns > @now THEN rate_buckets.in_flight ELSE 0 END
    + CASE WHEN ` + tatNow + ` + @every - @now <= @limit THEN 1 ELSE 0 END,
  busy_until_ns = CASE WHEN ` + tatNow + ` + @every - @now <= @limit THEN @until ELSE rate_buckets.busy_until_ns END
RETURNING granted, tat_ns, in_flight`

// Reserve takes one token from key's bucket if it has one; see loginguard.Store.
func (r *RateLimitStore) Reserve(ctx context.Context, key string, every time.Duration, burst int, now time.Time) (bool, time.Duration, int, error) {
	limit := int64(every) * int64(burst)
	if limit < int64(every) || every <= 0 {
		return false, every, 0, nil // no burst: never a token (and no row)
	}
	n := now.UnixNano()
	var row struct {
		Granted  int
		TatNs    int64
		InFlight int
	}
	err := r.db.WithContext(ctx).Raw(reserveSQL, map[string]any{
		"key": rateKey(key), "now": n, "every": int64(every), "limit": limit,
		"first": n + int64(every), "until": n + int64(r.lease),
	}).Scan(&row).Error
	if err != nil {
		return false, 0, 0, translate(err, "reserve a try")
	}
	if row.Granted == 1 {
		return true, 0, row.InFlight, nil
	}
	return false, time.Duration(row.TatNs + int64(every) - limit - n), row.InFlight, nil
}

// Settle ends a try that Reserve let through; refund gives its token back.
func (r *RateLimitStore) Settle(ctx context.Context, key string, every time.Duration, refund bool) error {
	back := int64(0)
	if refund {
		back = int64(every)
	}
	err := r.db.WithContext(ctx).Exec(`UPDATE rate_buckets SET tat_ns = tat_ns - @back,
		in_flight = CASE WHEN in_flight > 0 THEN in_flight - 1 ELSE 0 END WHERE key_hash = @key`,
		map[string]any{"key": rateKey(key), "back": back}).Error
	return translate(err, "settle a try")
}

// MarkFailed records a failure at key.
func (r *RateLimitStore) MarkFailed(ctx context.Context, key string, now time.Time) error {
	err := r.db.WithContext(ctx).Exec(`INSERT INTO login_failures (key_hash, failed_ns) VALUES (@key, @now)
		ON CONFLICT (key_hash) DO UPDATE SET failed_ns = CASE WHEN login_failures.failed_ns > excluded.failed_ns
		THEN login_failures.failed_ns ELSE excluded.failed_ns END`,
		map[string]any{"key": rateKey(key), "now": now.UnixNano()}).Error
	return translate(err, "record a failed login")
}

// ClearFailed forgets key's failures.
func (r *RateLimitStore) ClearFailed(ctx context.Context, key string) error {
	err := r.db.WithContext(ctx).Exec(`DELETE FROM login_failures WHERE key_hash = ?`, rateKey(key)).Error
	return translate(err, "forget failed logins")
}

// Failed says whether key failed after since.
func (r *RateLimitStore) Failed(ctx context.Context, key string, since time.Time) (bool, error) {
	var n int64
	err := r.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM login_failures WHERE key_hash = ? AND failed_ns > ?`,
		rateKey(key), since.UnixNano()).Scan(&n).Error
	return n > 0, translate(err, "look up failed logins")
}

// Prune drops full buckets with no try in flight and failures from
// failedBefore or earlier.
func (r *RateLimitStore) Prune(ctx context.Context, now, failedBefore time.Time) error {
	db := r.db.WithContext(ctx)
	n := now.UnixNano()
	err := db.Exec(`DELETE FROM rate_buckets WHERE tat_ns <= ? AND (in_flight = 0 OR busy_until_ns <= ?)`, n, n).Error
	if err == nil {
		err = db.Exec(`DELETE FROM login_failures WHERE failed_ns <= ?`, failedBefore.UnixNano()).Error
	}
	return translate(err, "prune rate limits")
}
