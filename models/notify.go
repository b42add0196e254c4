package models

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// ChangeKind says which pages a write changed.
type ChangeKind string

const (
	// ChangePost: one post's page and the lists that show it (home, archives,
	// tags, feeds). PostID names it.
	ChangePost ChangeKind = "post"
	// ChangeLists: the lists only (home, archives, feeds).
	ChangeLists ChangeKind = "lists"
	// ChangeAll: every page (the settings: title, theme, limits).
	ChangeAll ChangeKind = "all"
)

// Change is what one instance tells the others after a write that changes
// what pages show, so they drop what they cached.
type Change struct {
	Kind   ChangeKind `json:"k"`
	PostID int64      `json:"id,omitempty"`
	// From is the sending instance (Changes.ID): it skips its own.
	From string `json:"from,omitempty"`
}

// changesChannel is the PostgreSQL NOTIFY channel of Change payloads.
const changesChannel = "crosstalk_changes"

// Changes passes Change notes between the instances sharing a PostgreSQL
// database with LISTEN/NOTIFY. On SQLite there is one process, so Publish
// and Listen do nothing.
type Changes struct {
	s  *Store
	id string
}

// Changes returns the store's change channel, with a fresh instance id.
func (s *Store) Changes() *Changes {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return &Changes{s: s, id: hex.EncodeToString(b)}
}

// Shared reports whether other instances may be listening (PostgreSQL).
func (c *Changes) Shared() bool { return c.s.db.Name() == "postgres" }

// Publish tells every instance listening on the database, this one aside,
// about ch. Delivery follows the commit of the caller's write (NOTIFY
// outside a transaction is sent at once).
func (c *Changes) Publish(ctx context.Context, ch Change) error {
	if !c.Shared() {
		return nil
	}
	ch.From = c.id
	payload, err := json.Marshal(ch)
	if err != nil {
		return err
	}
	err = c.s.db.WithContext(ctx).Exec("SELECT pg_notify(?, ?)", changesChannel, string(payload)).Error
	return translate(err, "publish change")
}

// Listen calls apply with every Change another instance publishes until ctx
// ends. It holds one connection of the pool for LISTEN; when the connection
// breaks it reports the error to failed, reconnects after retry and calls
// apply with ChangeAll, since notes sent in between are lost. On SQLite it
// returns at once.
func (c *Changes) Listen(ctx context.Context, retry time.Duration, apply func(Change), failed func(error)) error {
	if !c.Shared() {
		return nil
	}
	sqlDB, err := c.s.db.DB()
	if err != nil {
		return err
	}
	for first := true; ; first = false {
		err := c.listenOnce(ctx, sqlDB, apply, !first)
		if ctx.Err() != nil {
			return nil
		}
		failed(err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(retry):
		}
	}
}

// listenOnce listens on one connection until it fails or ctx ends.
func (c *Changes) listenOnce(ctx context.Context, sqlDB *sql.DB, apply func(Change), resync bool) error {
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }() // a broken connection is dropped from the pool
	return conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("listen: the driver connection is a %T, not pgx", driverConn)
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+changesChannel); err != nil {
			return err
		}
		// The connection goes back to the pool afterwards: stop listening.
		defer pc.Exec(context.WithoutCancel(ctx), "UNLISTEN "+changesChannel) //nolint:errcheck // best effort on the way out
		if resync {
			apply(Change{Kind: ChangeAll})
		}
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return err
			}
			var ch Change
			if err := json.Unmarshal([]byte(n.Payload), &ch); err != nil {
				ch = Change{Kind: ChangeAll} // not ours to read: drop everything, to be safe
			}
			if ch.From != c.id {
				apply(ch)
			}
		}
	})
}
