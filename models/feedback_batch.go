package models

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// On SQLite, AddFeedback commits in groups: the feedback written while
// the single writer connection was busy is stored by one transaction. A
// commit writes every page the inserts touched (the table, six indexes,
// the counters) to the WAL, so a flood of pings or comments costs one
// commit per group instead of one each, and the writers are served in
// the order they came. Each caller is answered once its group is
// committed: nothing reported stored can be lost, and a lone write waits
// for nobody.

// maxFeedbackGroup bounds the inserts one transaction commits.
const maxFeedbackGroup = 64

// feedbackAdd is one AddFeedback waiting for its group's commit.
type feedbackAdd struct {
	ctx     context.Context
	f       *Feedback
	created bool
	err     error
	done    chan struct{}
}

// feedbackGroups is the queue of AddFeedback calls and the goroutine that
// commits them.
type feedbackGroups struct {
	mu     sync.RWMutex // held to enqueue; taken whole to close
	closed bool
	queue  chan *feedbackAdd
	done   chan struct{}
	// stmts are the prepared inserts, by SQL; only the goroutine uses them.
	stmts map[string]*sql.Stmt
	// written counts the groups written (a transaction, or a lone insert);
	// entered the calls that have reached the queue.
	written, entered atomic.Int64
}

// startFeedbackGroups starts committing AddFeedback calls in groups.
func (s *Store) startFeedbackGroups() {
	g := &feedbackGroups{queue: make(chan *feedbackAdd, maxFeedbackGroup), done: make(chan struct{}),
		stmts: map[string]*sql.Stmt{}}
	s.groups = g
	go func() {
		defer close(g.done)
		defer g.closeStatements()
		for first := range g.queue {
			group := []*feedbackAdd{first}
		more:
			for len(group) < maxFeedbackGroup {
				select {
				case a, ok := <-g.queue:
					if !ok {
						break more
					}
					group = append(group, a)
				default:
					break more
				}
			}
			s.commitFeedback(group)
		}
	}()
}

// errGroupsClosed says the store is closing: the caller writes alone.
var errGroupsClosed = errors.New("store: feedback groups closed")

// add queues f and waits for its group's commit (errGroupsClosed once the
// store is closing).
func (g *feedbackGroups) add(ctx context.Context, f *Feedback) (created bool, err error) {
	a := &feedbackAdd{ctx: ctx, f: f, done: make(chan struct{})}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return false, errGroupsClosed
	}
	g.queue <- a
	g.mu.RUnlock()
	g.entered.Add(1)
	<-a.done // short: the write is not abandoned if the caller gives up
	return a.created, a.err
}

// close commits what is queued and stops the goroutine.
func (g *feedbackGroups) close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.queue)
	}
	g.mu.Unlock()
	<-g.done
}

// commitFeedback stores a group, in one transaction when there are
// several. An insert that fails (a post deleted meanwhile) fails alone:
// SQLite undoes only that statement. A failed commit fails every insert
// of the group.
func (s *Store) commitFeedback(group []*feedbackAdd) {
	s.groups.written.Add(1)
	ctx := context.WithoutCancel(group[0].ctx)
	defer func() {
		for _, a := range group {
			close(a.done)
		}
	}()
	writer, err := s.db.DB()
	if err != nil {
		for _, a := range group {
			a.err = translate(err, "add feedback")
		}
		return
	}
	// Statements are built and prepared before the transaction takes the
	// writer pool's one connection.
	inserts := make([]*insert, len(group))
	for i, a := range group {
		inserts[i], a.err = s.groups.build(ctx, s.db, writer, a.f)
	}
	if len(group) == 1 {
		if a := group[0]; a.err == nil {
			a.created, a.err = inserts[0].run(ctx, s.db, nil)
		}
		return
	}
	tx, err := writer.BeginTx(ctx, nil)
	if err == nil {
		for i, a := range group {
			if a.err == nil {
				a.created, a.err = inserts[i].run(ctx, s.db, tx)
			}
		}
		err = tx.Commit()
	}
	if err != nil {
		err = translate(err, "add feedback")
		for _, a := range group {
			a.created, a.err = false, errors.Join(a.err, err)
			a.f.ID = 0
		}
	}
}

// insert is one feedback's INSERT, ready to run.
type insert struct {
	f         *Feedback
	stmt      *sql.Stmt
	returning bool
	args      []any
}

// build makes f's INSERT … ON CONFLICT DO NOTHING: gorm's, as Create
// builds it, prepared once on the writer connection and kept (gorm's own
// statement cache prepares again in every transaction).
func (g *feedbackGroups) build(ctx context.Context, db *gorm.DB, writer *sql.DB, f *Feedback) (*insert, error) {
	built := db.Session(&gorm.Session{DryRun: true, NewDB: true, Context: ctx}).
		Clauses(clause.OnConflict{DoNothing: true}).Create(f)
	if built.Error != nil {
		return nil, translate(built.Error, "add feedback")
	}
	query := built.Statement.SQL.String()
	stmt, ok := g.stmts[query]
	if !ok {
		if len(g.stmts) >= maxGroupStatements { // never with one model; a bound all the same
			g.closeStatements()
		}
		var err error
		if stmt, err = writer.PrepareContext(ctx, query); err != nil {
			return nil, translate(err, "add feedback")
		}
		g.stmts[query] = stmt
	}
	return &insert{f: f, stmt: stmt, returning: strings.Contains(query, " RETURNING "), args: built.Statement.Vars}, nil
}

// run stores the feedback (inside tx when not nil) unless the same
// linkback is stored.
func (in *insert) run(ctx context.Context, db *gorm.DB, tx *sql.Tx) (bool, error) {
	stmt := in.stmt
	if tx != nil {
		stmt = tx.StmtContext(ctx, stmt)
	}
	created, err := runInsert(ctx, stmt, in.returning, in.args, &in.f.ID)
	if t, ok := db.Dialector.(gorm.ErrorTranslator); ok && err != nil { // as gorm's TranslateError does
		err = t.Translate(err)
	}
	return created, translate(err, "add feedback")
}

// runInsert runs an INSERT … ON CONFLICT DO NOTHING and sets id to the new
// row's. With RETURNING (what gorm builds on SQLite), the statement is read
// to its end, so it is done before the transaction commits.
func runInsert(ctx context.Context, stmt *sql.Stmt, returning bool, args []any, id *int64) (bool, error) {
	if !returning {
		res, err := stmt.ExecContext(ctx, args...)
		if err != nil {
			return false, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return false, err
		}
		*id, err = res.LastInsertId()
		return err == nil, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return false, err
	}
	created := rows.Next()
	if created {
		err = rows.Scan(id)
	}
	for rows.Next() { // one row at most; read to the end all the same
	}
	return created && err == nil, errors.Join(err, rows.Err(), rows.Close())
}

// maxGroupStatements bounds the statements the group goroutine keeps.
const maxGroupStatements = 8

// closeStatements drops the kept statements.
func (g *feedbackGroups) closeStatements() {
	for q, st := range g.stmts {
		_ = st.Close() // a statement that fails to close is gone all the same
		delete(g.stmts, q)
	}
}

// insertFeedback stores f unless the same linkback is stored (PostgreSQL,
// or SQLite while the store closes).
func (s *Store) insertFeedback(db *gorm.DB, f *Feedback) (bool, error) {
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(f)
	if res.Error != nil {
		return false, translate(res.Error, "add feedback")
	}
	return res.RowsAffected > 0, nil
}
