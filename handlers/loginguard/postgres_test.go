//go:build postgres

package loginguard

import (
	"os"
	"testing"

	"github.com/crosstalk/crosstalk/models/storetest"
)

// TestTwoInstancesShareLimitsOnPostgres is the multi-instance case the
// shared store exists for: two guards on one PostgreSQL database.
func TestTwoInstancesShareLimitsOnPostgres(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Fatal("the postgres build tag needs " + storetest.EnvPostgres + " set to a PostgreSQL URL")
	}
	twoInstances(t, storetest.Target(t))
}
