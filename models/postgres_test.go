//go:build postgres

package models

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/crosstalk/crosstalk/models/storetest"
)

// TestInstancesMigrateTogether starts several instances on one PostgreSQL
// database at once: the advisory lock lets exactly one apply each migration.
func TestInstancesMigrateTogether(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Fatal("the postgres build tag needs " + storetest.EnvPostgres + " set to a PostgreSQL URL")
	}
	target := storetest.Target(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			s, err := Open(ctx, target, Options{})
			if err == nil {
				err = s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent start: %v", err)
		}
	}
	s, err := Open(ctx, target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var applied int64
	if err := s.db.Table("schema_migrations").Count(&applied).Error; err != nil {
		t.Fatal(err)
	}
	all, _ := migrations(dialectPostgres)
	if int(applied) != len(all) {
		t.Errorf("%d migrations recorded, want %d", applied, len(all))
	}
}
