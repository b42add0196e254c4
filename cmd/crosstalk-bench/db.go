package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	_ "github.com/mattn/go-sqlite3" // the driver the blog itself uses
)

// benchDB reads the blog's SQLite file beside the running server, to check
// what was stored. It never writes.
type benchDB struct{ db *sql.DB }

func openBenchDB(path string) (*benchDB, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_query_only=true&_busy_timeout=5000")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &benchDB{db: db}, nil
}

func (d *benchDB) close() error { return d.db.Close() }

func (d *benchDB) countTrackbacks(ctx context.Context, postID int64) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM feedback WHERE post_id = ? AND kind = 'trackback'`, postID).Scan(&n)
	return n, err
}

// feedbackItem is one comment or linkback; n numbers the comments of a post
// from 0 in the order they came.
type feedbackItem struct {
	id, postID int64
	kind       string
	n          int
}

func (d *benchDB) feedbackIDs(ctx context.Context) (out []feedbackItem, err error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, post_id, kind FROM feedback ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, rows.Close()) }()
	seen := map[int64]int{}
	for rows.Next() {
		var it feedbackItem
		if err := rows.Scan(&it.id, &it.postID, &it.kind); err != nil {
			return nil, err
		}
		if it.kind == "comment" {
			it.n = seen[it.postID]
			seen[it.postID]++
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// texts returns every feedback row's source URL and content, and every
// post's title, for finding the markers of accepted writes.
func (d *benchDB) texts(ctx context.Context) (out []string, err error) {
	rows, err := d.db.QueryContext(ctx, `SELECT source_url || ' ' || content FROM feedback UNION ALL SELECT title FROM posts`)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, rows.Close()) }()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (d *benchDB) feedbackStatus(ctx context.Context, id int64) (string, error) {
	var s string
	err := d.db.QueryRowContext(ctx, `SELECT status FROM feedback WHERE id = ?`, id).Scan(&s)
	return s, err
}

func (d *benchDB) postTitle(ctx context.Context, id int64) (string, error) {
	var s string
	err := d.db.QueryRowContext(ctx, `SELECT title FROM posts WHERE id = ?`, id).Scan(&s)
	return s, err
}
