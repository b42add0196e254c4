package models

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestSQLiteWritesQueueAndReadsRunBeside: on SQLite the store writes
// through one connection and reads through others. While a write
// transaction is open, a read still answers (it does not wait for the
// writer); and many concurrent writers never see "database is locked",
// because they queue for the writer instead of racing for the file lock.
func TestSQLiteWritesQueueAndReadsRunBeside(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "pool.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	u := mustUser(t, s)
	now := time.Now()
	p := newPost(u.ID, "Pool", StatusPublished, &now)
	if err := s.CreatePost(ctx, p, nil); err != nil {
		t.Fatal(err)
	}

	inTx, release := make(chan struct{}), make(chan struct{})
	txDone := make(chan error, 1)
	go func() {
		txDone <- s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Model(&Post{}).Where("id = ?", p.ID).Update("title", "Pool (editing)").Error; err != nil {
				return err
			}
			close(inTx)
			<-release // hold the writer
			return nil
		})
	}()
	<-inTx
	readCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	got, err := s.PostByID(readCtx, p.ID)
	cancel()
	if err != nil || got.Title != "Pool" {
		t.Fatalf("a read while a write transaction is open: %v, %v (want the committed title)", got, err)
	}
	close(release)
	if err := <-txDone; err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 40*10)
	for w := range 40 {
		wg.Go(func() {
			for i := range 10 {
				f := &Feedback{PostID: p.ID, Kind: FeedbackComment, Status: ModPending, AuthorName: "w",
					Content: fmt.Sprintf("comment %d/%d", w, i)}
				if _, err := s.AddFeedback(ctx, f); err != nil {
					errs <- err
				}
				if _, err := s.ApprovedFeedback(ctx, p.ID); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write or read: %v", err)
	}
	writer, err := s.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	if n := writer.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool allows %d connections, want 1", n)
	}
}
