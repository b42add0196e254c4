package loginguard

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crosstalk/crosstalk/models/storetest"
)

// TestTwoInstancesShareLimits runs two guards ("instances") on one database:
// SQLite here, PostgreSQL when CROSSTALK_TEST_POSTGRES is set (and in
// postgres_test.go under the postgres tag).
func TestTwoInstancesShareLimits(t *testing.T) { twoInstances(t, storetest.Target(t)) }

func twoInstances(t *testing.T, target string) {
	c := newClock()
	one := NewShared(DefaultLimits(), c.Now, openDatabaseAt(t, target), nil)
	two := NewShared(DefaultLimits(), c.Now, openDatabaseAt(t, target), nil)
	guards := []*Guard{one, two}

	t.Run("a guesser spread over both gets no more checks than against one", func(t *testing.T) {
		checked := 0
		for i := range 40 {
			if try(guards[i%2], "198.51.100.7", "admin", false) == nil {
				checked++
			}
		}
		if checked != 5 {
			t.Fatalf("%d wrong guesses checked over two instances; one instance checks 5", checked)
		}
		if err := try(one, "198.51.100.7", "admin", true); !limited(err) {
			t.Fatalf("the other instance forgot the guesser: %v", err)
		}
	})

	t.Run("the owner from a clean address still gets in", func(t *testing.T) {
		for i := range 20 {
			addr := "203.0.113." + string(rune('0'+i%10)) + string(rune('0'+i/10))
			for try(guards[i%2], addr, "owner", false) == nil {
			}
		}
		// The account-wide limit holds on both for an address that failed…
		if err := try(two, "203.0.113.00", "owner", false); !limited(err) {
			t.Fatalf("the guesser is not slowed: %v", err)
		}
		// …and a failure recorded on one instance counts on the other.
		if err := try(one, "192.0.2.99", "owner", false); err != nil {
			t.Fatalf("first try of a fresh address: %v", err)
		}
		if err := try(two, "192.0.2.99", "owner", true); !limited(err) {
			t.Fatalf("a failure on one instance is not known to the other: %v", err)
		}
		for _, g := range guards {
			if err := try(g, "192.0.2.10", "owner", true); err != nil {
				t.Fatalf("the owner, from a clean address, is refused: %v", err)
			}
		}
	})

	t.Run("parallel right passwords on both still pass", func(t *testing.T) {
		var wg sync.WaitGroup
		var failures atomic.Int32
		for i := range 30 {
			wg.Go(func() {
				if err := try(guards[i%2], "192.0.2.50", "writer", true); err != nil {
					failures.Add(1)
				}
			})
		}
		wg.Wait()
		if n := failures.Load(); n != 0 {
			t.Fatalf("%d of 30 parallel calls with the right password over two instances were refused", n)
		}
	})

	t.Run("a try waits for a try in flight on the other instance", func(t *testing.T) {
		held := hold(t, one, 5, "192.0.2.60", "editor")
		done := make(chan error, 1)
		go func() { done <- try(two, "192.0.2.60", "editor", true) }()
		waitFor(t, func() bool { return two.waiting("pair\x00editor\x00192.0.2.60") > 0 })
		for _, a := range held {
			a.Succeeded()
		}
		if err := <-done; err != nil {
			t.Fatalf("a right password on the other instance, while five were in flight here: %v", err)
		}
	})
}

// waitFor waits until cond holds, yielding the processor meanwhile.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10 s")
		}
		runtime.Gosched()
	}
}

// waiting is how many tries wait for key's tries in flight in g.
func (g *Guard) waiting(key string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f := g.flights[key]; f != nil {
		return f.refs - f.holders
	}
	return 0
}

// failingStore is a store whose database is gone.
type failingStore struct{ *MemoryStore }

var errDown = errors.New("database down")

func (*failingStore) Reserve(context.Context, string, time.Duration, int, time.Time) (bool, time.Duration, int, error) {
	return false, 0, 0, errDown
}

func TestStoreFailureRefusesTheTry(t *testing.T) {
	g := NewShared(DefaultLimits(), newClock().Now, &failingStore{NewMemoryStore()}, nil)
	_, err := g.Begin(context.Background(), "198.51.100.7", "admin")
	if !limited(err) {
		t.Fatalf("a try the store could not count: %v; want refused", err)
	}
}

// BenchmarkRightPassword is the guard's cost for one login with the right
// password (two buckets reserved and given back, the failure mark cleared),
// per store: what keeping the limits in the database adds to a login.
func BenchmarkRightPassword(b *testing.B) {
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			g := NewShared(DefaultLimits(), nil, st.open(b), nil)
			for b.Loop() {
				a, err := g.Begin(context.Background(), "192.0.2.1", "admin")
				if err != nil {
					b.Fatal(err)
				}
				a.Succeeded()
			}
		})
	}
}

func TestWaitersPerKeyAreBounded(t *testing.T) {
	l := DefaultLimits()
	l.MaxWait = time.Hour // a try that waited instead of being refused would hang the test
	g := New(l, newClock().Now)
	held := append(hold(t, g, 5, "198.51.100.7", "a"), hold(t, g, 5, "198.51.100.7", "b")...)
	results := make(chan error, maxWaiters)
	for i := range maxWaiters {
		go func() { results <- try(g, "198.51.100.7", fmt.Sprint("account", i), true) }()
	}
	waitFor(t, func() bool { return g.waiting("addr\x00198.51.100.7") == maxWaiters })
	if err := try(g, "198.51.100.7", "one-too-many", true); !limited(err) {
		t.Fatalf("a try beyond %d waiting: %v; want refused at once", maxWaiters, err)
	}
	for _, a := range held {
		a.Succeeded()
	}
	for range maxWaiters {
		if err := <-results; err != nil {
			t.Fatalf("a waiting try with the right password: %v", err)
		}
	}
}
