package loginguard

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/storetest"
)

// clock is the tests' settable clock.
type clock = storetest.Clock

func newClock() *clock { return storetest.NewClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)) }

// stores are the Store implementations every guard test runs against: this
// process's memory, and the database's tables (SQLite, or PostgreSQL when
// CROSSTALK_TEST_POSTGRES is set).
var stores = []struct {
	name string
	open func(t testing.TB) Store
}{
	{"memory", func(testing.TB) Store { return nil }},
	{"database", openDatabase},
}

func openDatabase(t testing.TB) Store { return openDatabaseAt(t, storetest.Target(t)) }

func openDatabaseAt(t testing.TB, target string) Store {
	t.Helper()
	s, err := models.Open(context.Background(), target, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.RateLimits()
}

// eachStore runs test once per store, with a guard on a fake clock.
func eachStore(t *testing.T, test func(t *testing.T, g *Guard, c *clock)) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			c := newClock()
			test(t, NewShared(DefaultLimits(), c.Now, st.open(t), nil), c)
		})
	}
}

// try runs one whole attempt: right says whether the password was right.
func try(g *Guard, addr, account string, right bool) error {
	a, err := g.Begin(context.Background(), addr, account)
	if err != nil {
		return err
	}
	if right {
		a.Succeeded()
	} else {
		a.Failed()
	}
	return nil
}

func limited(err error) bool {
	var le *LimitedError
	return errors.As(err, &le) && le.Seconds() >= 1
}

func TestParallelWrongGuessesAreChargedBeforeTheCheck(t *testing.T) {
	eachStore(t, parallelWrongGuesses)
}

func parallelWrongGuesses(t *testing.T, g *Guard, _ *clock) {
	// 40 guesses start together; none has finished when the others begin.
	var started []*Attempt
	refused := 0
	for range 40 {
		a, err := g.Begin(context.Background(), "198.51.100.7", "admin")
		switch {
		case err == nil:
			started = append(started, a)
		case limited(err):
			refused++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
		if err == nil && len(started) == 5 {
			// Tries beyond the (account, address) allowance wait for these
			// to settle; settle them as wrong to let the waiters be refused.
			for _, a := range started {
				a.Failed()
			}
		}
	}
	if len(started) != 5 || refused != 35 {
		t.Fatalf("%d checked, %d refused; want 5 and 35", len(started), refused)
	}
}

func TestRightPasswordsGiveTheirTokensBack(t *testing.T) { eachStore(t, rightPasswordsGiveBack) }

func rightPasswordsGiveBack(t *testing.T, g *Guard, _ *clock) {
	for i := range 100 {
		if err := try(g, "198.51.100.7", "admin", true); err != nil {
			t.Fatalf("call %d with the right password: %v", i, err)
		}
	}
}

func TestParallelRightPasswordsWaitInsteadOfFailing(t *testing.T) {
	eachStore(t, parallelRightPasswords)
}

func parallelRightPasswords(t *testing.T, g *Guard, _ *clock) {
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 30 {
		wg.Go(func() {
			if err := try(g, "198.51.100.7", "admin", true); err != nil {
				failures.Add(1)
			}
		})
	}
	wg.Wait()
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d parallel calls with the right password were refused", n)
	}
}

func TestOwnerGetsInWhileAccountIsUnderAttack(t *testing.T) { eachStore(t, ownerGetsIn) }

func ownerGetsIn(t *testing.T, g *Guard, _ *clock) {
	// A guesser spread over many addresses, each failing until refused.
	for i := range 50 {
		addr := "203.0.113." + string(rune('0'+i%10)) + string(rune('0'+i/10))
		for try(g, addr, "admin", false) == nil {
		}
	}
	if err := try(g, "203.0.113.00", "admin", false); !limited(err) {
		t.Fatalf("the guesser is not slowed: %v", err)
	}
	if err := try(g, "192.0.2.10", "admin", true); err != nil {
		t.Fatalf("the owner, from a clean address, is refused: %v", err)
	}
	// A fresh address that guesses wrong joins the account-wide limit.
	if err := try(g, "192.0.2.99", "admin", false); err != nil {
		t.Fatalf("first try of a fresh address: %v", err)
	}
	if err := try(g, "192.0.2.99", "admin", true); !limited(err) {
		t.Fatalf("an address that failed is not under the account limit: %v", err)
	}
}

func TestLimitsRecoverWithTime(t *testing.T) { eachStore(t, limitsRecover) }

func limitsRecover(t *testing.T, g *Guard, c *clock) {
	for try(g, "198.51.100.7", "admin", false) == nil {
	}
	err := try(g, "198.51.100.7", "admin", true)
	var le *LimitedError
	if !errors.As(err, &le) {
		t.Fatalf("not limited: %v", err)
	}
	c.Advance(le.Wait)
	if err := try(g, "198.51.100.7", "admin", true); err != nil {
		t.Fatalf("after waiting %s: %v", le.Wait, err)
	}
}

func TestAbandonGivesBackWithoutMarking(t *testing.T) { eachStore(t, abandonGivesBack) }

func abandonGivesBack(t *testing.T, g *Guard, _ *clock) {
	for range 50 {
		a, err := g.Begin(context.Background(), "198.51.100.7", "admin")
		if err != nil {
			t.Fatalf("abandoned tries were charged: %v", err)
		}
		a.Abandon()
		a.Failed() // a second outcome is ignored
	}
}

func TestWaitIsBounded(t *testing.T) { eachStore(t, waitIsBounded) }

// hold begins n tries at account from addr and leaves them in flight.
func hold(t *testing.T, g *Guard, n int, addr, account string) []*Attempt {
	t.Helper()
	var held []*Attempt
	for range n {
		a, err := g.Begin(context.Background(), addr, account)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, a)
	}
	return held
}

func waitIsBounded(t *testing.T, g *Guard, _ *clock) {
	held := hold(t, g, 5, "198.51.100.7", "admin")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Begin(ctx, "198.51.100.7", "admin"); !limited(err) {
		t.Fatalf("a try while five are in flight and the caller gave up: %v", err)
	}
	for _, a := range held {
		a.Succeeded()
	}
}
