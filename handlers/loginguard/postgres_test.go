//go:build postgres

package loginguard

import (
	"os"
	"testing"

	"github.com/crosstalk/crosstalk/models/storetest"
)

// TestTwoInstancesShareLimitsOnPostgres is the case the shared store is
// for: two guards ("instances") on one PostgreSQL database.
func TestTwoInstancesShareLimitsOnPostgres(t *testing.T) {
	if _, set := os.LookupEnv(storetest.EnvPostgres); !set {
		t.Fatalf("the postgres tag runs on PostgreSQL: set %s (see .ci/run)", storetest.EnvPostgres)
	}
	twoInstances(t, storetest.Target(t))
}
