// Package loginguard rate-limits password checks (web login, XML-RPC, app
// passwords) so that guessing is slow and the owner is not locked out.
//
// Every try is charged before the password is checked: a token is reserved
// from the address's bucket and from the (account, address) bucket, and is
// given back when the password was right, so clients that log in on every
// call (XML-RPC editors) spend nothing. A burst of parallel tries from one
// address therefore gets no more checks than the bucket holds; a try that
// finds the bucket empty while other tries from the same key are still being
// checked waits for their outcome instead of being refused at once, since
// right passwords give their tokens back.
//
// The account-wide bucket slows a guesser who spreads over many addresses,
// but it charges only addresses that have already failed at that account: an
// address with no failures that presents the right password gets in even
// while the account is under attack from elsewhere.
//
// The buckets and failure marks live in a Store: this process's memory by
// default, or a database table shared by every instance (New, NewShared).
// Waiting for tries in flight is done in each process.
package loginguard

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// Rate is one token bucket: Burst tries at once, then one per Every.
type Rate struct {
	Every time.Duration
	Burst int
}

// Limits configures a Guard.
type Limits struct {
	// PerAddress bounds tries from one address, whatever the account.
	PerAddress Rate
	// PerAccountAddress bounds tries at one account from one address.
	PerAccountAddress Rate
	// PerAccount bounds tries at one account from addresses that failed
	// there in the last FailureMemory.
	PerAccount Rate
	// FailureMemory is how long a failure marks an address; 0 means 15 min.
	FailureMemory time.Duration
	// MaxWait bounds how long a try waits for other tries in flight; 0 means 3 s.
	MaxWait time.Duration
}

// DefaultLimits are the web login's: 10 tries per address then one per 3 s,
// 5 per account and address then one per 12 s, and the same for the account
// as a whole once an address has failed there.
func DefaultLimits() Limits {
	return Limits{
		PerAddress:        Rate{Every: 3 * time.Second, Burst: 10},
		PerAccountAddress: Rate{Every: 12 * time.Second, Burst: 5},
		PerAccount:        Rate{Every: 12 * time.Second, Burst: 5},
	}
}

// LimitedError says a try was refused before any password was checked.
type LimitedError struct{ Wait time.Duration }

func (e *LimitedError) Error() string {
	return fmt.Sprintf("loginguard: too many tries; wait %s", e.Wait.Round(time.Second))
}

// Seconds is the wait rounded up to whole seconds, for Retry-After.
func (e *LimitedError) Seconds() int { return int((e.Wait + time.Second - 1) / time.Second) }

// Guard hands out Attempts. It is safe for concurrent use.
type Guard struct {
	limits Limits
	now    func() time.Time
	store  Store
	log    *slog.Logger
	// poll is how often a try waiting for tries in flight in other
	// processes looks again; 0 when the store is this process's own.
	poll time.Duration

	mu      sync.Mutex
	flights map[string]*flight
	pruned  time.Time
}

// flight is this process's view of a key's tries: how many hold a token
// here, how many are here at all (holding or waiting), and a channel closed
// whenever one of them settles, so a waiting try looks again at once.
type flight struct {
	holders int
	refs    int
	settled chan struct{}
}

// maxWaiters bounds the tries from one key waiting in one process: more
// than that many parallel tries is a flood, refused at once.
const maxWaiters = 32

// New makes a Guard that keeps its buckets in this process's memory; now is
// the clock (nil means time.Now).
func New(l Limits, now func() time.Time) *Guard { return NewShared(l, now, nil, nil) }

// NewShared makes a Guard whose buckets and failure marks live in st, so
// every Guard on the same store (instances on one database) shares them.
// Waiting for tries in flight stays in each process: tries here wake each
// other at once, tries in flight elsewhere are looked for again every few
// milliseconds. A nil st is a new MemoryStore; log (nil: discard) receives
// the store's errors.
func NewShared(l Limits, now func() time.Time, st Store, log *slog.Logger) *Guard {
	if now == nil {
		now = time.Now
	}
	if l.FailureMemory <= 0 {
		l.FailureMemory = 15 * time.Minute
	}
	if l.MaxWait <= 0 {
		l.MaxWait = 3 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	g := &Guard{limits: l, now: now, store: st, log: log, poll: 20 * time.Millisecond, flights: map[string]*flight{}}
	if st == nil {
		g.store, g.poll = NewMemoryStore(), 0
	}
	return g
}

// Attempt is one reserved try. Exactly one of Succeeded, Failed or Abandon
// must be called when the password check is over.
type Attempt struct {
	g        *Guard
	ctx      context.Context // the request's values, without its deadline
	pairKey  string
	reserved []step
	once     sync.Once
}

// step is one bucket a try is charged to.
type step struct {
	key  string
	rate Rate
}

// Begin reserves a try at account from address (both already normalised:
// an address key such as an IPv6 /64, a lower-cased account name). It
// returns a *LimitedError when the try must not be checked now, and no
// other error: when the store fails, the try is refused (and logged).
func (g *Guard) Begin(ctx context.Context, address, account string) (*Attempt, error) {
	ctx, cancel := context.WithTimeout(ctx, g.limits.MaxWait)
	defer cancel()
	now := g.now()
	g.prune(ctx, now)
	pair := account + "\x00" + address
	a := &Attempt{g: g, ctx: context.WithoutCancel(ctx), pairKey: pair}
	steps := []step{{"addr\x00" + address, g.limits.PerAddress}, {"pair\x00" + pair, g.limits.PerAccountAddress}}
	failed, err := g.store.Failed(ctx, pair, now.Add(-g.limits.FailureMemory))
	if err != nil {
		return nil, g.unavailable(ctx, err)
	}
	if failed {
		steps = append(steps, step{"acct\x00" + account, g.limits.PerAccount})
	}
	for _, s := range steps {
		if err := g.reserve(ctx, s); err != nil {
			a.settle(true) // a refused try was not checked, so it costs nothing
			return nil, err
		}
		a.reserved = append(a.reserved, s)
	}
	return a, nil
}

// Succeeded gives the reserved tokens back and forgets the address's
// failures at this account.
func (a *Attempt) Succeeded() {
	a.once.Do(func() {
		if err := a.g.store.ClearFailed(a.ctx, a.pairKey); err != nil {
			a.g.log.WarnContext(a.ctx, "login guard: forgetting failures", "err", err)
		}
		a.settle(true)
	})
}

// Failed keeps the tokens spent and marks the address as failed at the account.
func (a *Attempt) Failed() {
	a.once.Do(func() {
		if err := a.g.store.MarkFailed(a.ctx, a.pairKey, a.g.now()); err != nil {
			a.g.log.WarnContext(a.ctx, "login guard: recording a failure", "err", err)
		}
		a.settle(false)
	})
}

// Abandon gives the tokens back without judging the password (the check
// itself could not be made, e.g. the database was down).
func (a *Attempt) Abandon() { a.once.Do(func() { a.settle(true) }) }

func (a *Attempt) settle(refund bool) {
	ctx, cancel := context.WithTimeout(a.ctx, a.g.limits.MaxWait)
	defer cancel()
	for _, s := range a.reserved {
		if err := a.g.store.Settle(ctx, s.key, s.rate.Every, refund); err != nil {
			a.g.log.WarnContext(ctx, "login guard: settling a try", "err", err)
		}
		a.g.leave(s.key, true, true)
	}
	a.reserved = nil
}

// reserve takes a token from s's bucket. A try that finds none waits while
// tries from the same key are in flight (they may give theirs back), up to
// ctx's deadline.
func (g *Guard) reserve(ctx context.Context, s step) error {
	g.mu.Lock()
	f := g.flights[s.key]
	if f == nil {
		f = &flight{settled: make(chan struct{})}
		g.flights[s.key] = f
	}
	f.refs++
	g.mu.Unlock()
	for {
		// Take the channel before asking the store: a settle between the
		// two closes it, so the wait below cannot miss it.
		g.mu.Lock()
		settled, holders, waiters := f.settled, f.holders, f.refs-f.holders-1
		g.mu.Unlock()
		ok, wait, inFlight, err := g.store.Reserve(ctx, s.key, s.rate.Every, s.rate.Burst, g.now())
		if err != nil {
			g.leave(s.key, false, false)
			return g.unavailable(ctx, err)
		}
		if ok {
			g.mu.Lock()
			f.holders++
			g.mu.Unlock()
			return nil
		}
		if inFlight == 0 || waiters >= maxWaiters {
			g.leave(s.key, false, false)
			return &LimitedError{Wait: wait}
		}
		var poll <-chan time.Time
		if g.poll > 0 && inFlight > holders {
			poll = time.After(g.poll) // some are in flight elsewhere
		}
		select {
		case <-settled:
		case <-poll:
		case <-ctx.Done():
			g.leave(s.key, false, false)
			return &LimitedError{Wait: wait}
		}
	}
}

// leave ends one try's part in key's flight: held says it held a token,
// notify wakes the tries waiting on the key.
func (g *Guard) leave(key string, held, notify bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f := g.flights[key]
	if held {
		f.holders--
	}
	f.refs--
	if notify {
		close(f.settled)
		f.settled = make(chan struct{})
	}
	if f.refs == 0 {
		delete(g.flights, key)
	}
}

// prune asks the store to drop what is over, at most once a minute.
func (g *Guard) prune(ctx context.Context, now time.Time) {
	g.mu.Lock()
	due := now.Sub(g.pruned) >= time.Minute
	if due {
		g.pruned = now
	}
	g.mu.Unlock()
	if !due {
		return
	}
	if err := g.store.Prune(ctx, now, now.Add(-g.limits.FailureMemory)); err != nil {
		g.log.WarnContext(ctx, "login guard: pruning", "err", err)
	}
}

// unavailable refuses a try the store could not judge: a guard that cannot
// count must not let guesses through.
func (g *Guard) unavailable(ctx context.Context, err error) error {
	if ctx.Err() == nil { // else the wait ran out or the client left
		g.log.ErrorContext(ctx, "login guard: store failed; refusing the try", "err", err)
	}
	return &LimitedError{Wait: time.Second}
}

// AddressKey is the key of a client address: IPv6 clients usually hold a
// whole /64, so they are one client per /64; IPv4 clients per address.
func AddressKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	prefix, _ := addr.Prefix(64)
	return prefix.String()
}

// Seconds says n seconds in words: "1 second", "12 seconds".
func Seconds(n int) string {
	if n == 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}
