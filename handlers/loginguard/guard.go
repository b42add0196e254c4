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
package loginguard

import (
	"context"
	"fmt"
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
	limits  Limits
	now     func() time.Time
	addr    *buckets
	acctIP  *buckets
	acct    *buckets
	mu      sync.Mutex
	failed  map[string]time.Time // account+address → last failure
	swept   time.Time
	maxKeys int
}

// New makes a Guard; now is the clock (nil means time.Now).
func New(l Limits, now func() time.Time) *Guard {
	if now == nil {
		now = time.Now
	}
	if l.FailureMemory <= 0 {
		l.FailureMemory = 15 * time.Minute
	}
	if l.MaxWait <= 0 {
		l.MaxWait = 3 * time.Second
	}
	return &Guard{
		limits: l, now: now,
		addr:    newBuckets(l.PerAddress, now),
		acctIP:  newBuckets(l.PerAccountAddress, now),
		acct:    newBuckets(l.PerAccount, now),
		failed:  map[string]time.Time{},
		maxKeys: maxKeys,
	}
}

// Attempt is one reserved try. Exactly one of Succeeded, Failed or Abandon
// must be called when the password check is over.
type Attempt struct {
	g        *Guard
	pairKey  string
	reserved []reservation
	once     sync.Once
}

// Begin reserves a try at account from address (both already normalised:
// an address key such as an IPv6 /64, a lower-cased account name). It
// returns a *LimitedError when the try must not be checked now.
func (g *Guard) Begin(ctx context.Context, address, account string) (*Attempt, error) {
	ctx, cancel := context.WithTimeout(ctx, g.limits.MaxWait)
	defer cancel()
	pair := account + "\x00" + address
	a := &Attempt{g: g, pairKey: pair}
	steps := []keyed{{g.addr, address}, {g.acctIP, pair}}
	if g.hasFailed(pair) {
		steps = append(steps, keyed{g.acct, account})
	}
	for _, s := range steps {
		r, err := s.bs.reserve(ctx, s.key)
		if err != nil {
			a.settle(true) // a refused try was not checked, so it costs nothing
			return nil, err
		}
		a.reserved = append(a.reserved, r)
	}
	return a, nil
}

type keyed struct {
	bs  *buckets
	key string
}

// Succeeded gives the reserved tokens back and forgets the address's
// failures at this account.
func (a *Attempt) Succeeded() {
	a.once.Do(func() {
		a.g.mu.Lock()
		delete(a.g.failed, a.pairKey)
		a.g.mu.Unlock()
		a.settle(true)
	})
}

// Failed keeps the tokens spent and marks the address as failed at the account.
func (a *Attempt) Failed() {
	a.once.Do(func() {
		a.g.markFailed(a.pairKey)
		a.settle(false)
	})
}

// Abandon gives the tokens back without judging the password (the check
// itself could not be made, e.g. the database was down).
func (a *Attempt) Abandon() { a.once.Do(func() { a.settle(true) }) }

func (a *Attempt) settle(refund bool) {
	for _, r := range a.reserved {
		r.settle(refund)
	}
}

func (g *Guard) hasFailed(pair string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	t, ok := g.failed[pair]
	return ok && g.now().Sub(t) < g.limits.FailureMemory
}

func (g *Guard) markFailed(pair string) {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Sub(g.swept) > time.Minute {
		for k, t := range g.failed {
			if now.Sub(t) >= g.limits.FailureMemory {
				delete(g.failed, k)
			}
		}
		g.swept = now
	}
	if _, ok := g.failed[pair]; !ok && len(g.failed) >= g.maxKeys {
		return // full of recent failures: the address and pair buckets still hold
	}
	g.failed[pair] = now
}

// maxKeys bounds each map's memory under a flood of fresh keys.
const maxKeys = 100_000

// buckets is a token bucket per key, with the number of tries in flight, so
// a try that finds no token can wait for tries that may give theirs back.
type buckets struct {
	rate Rate
	now  func() time.Time

	mu    sync.Mutex
	keys  map[string]*bucket
	swept time.Time
}

// bucket is a plain token bucket (rate.Limiter cannot give a token back
// once its reservation time has passed, and a password check takes time).
type bucket struct {
	tokens   float64
	last     time.Time
	inFlight int
	settled  chan struct{} // closed and replaced whenever a try in flight settles
	seen     time.Time
}

type reservation struct {
	bs *buckets
	b  *bucket
}

func newBuckets(r Rate, now func() time.Time) *buckets {
	return &buckets{rate: r, now: now, keys: map[string]*bucket{}}
}

func (bs *buckets) reserve(ctx context.Context, key string) (reservation, error) {
	for {
		bs.mu.Lock()
		now := bs.now()
		b := bs.bucket(key, now)
		bs.refill(b, now)
		if b.tokens >= 1 {
			b.tokens--
			b.inFlight++
			bs.mu.Unlock()
			return reservation{bs: bs, b: b}, nil
		}
		delay := time.Duration((1 - b.tokens) * float64(bs.rate.Every))
		if b.inFlight == 0 {
			bs.mu.Unlock()
			return reservation{}, &LimitedError{Wait: delay}
		}
		settled := b.settled
		bs.mu.Unlock()
		select {
		case <-settled:
		case <-ctx.Done():
			return reservation{}, &LimitedError{Wait: delay}
		}
	}
}

func (r reservation) settle(refund bool) {
	if r.b == nil {
		return
	}
	r.bs.mu.Lock()
	defer r.bs.mu.Unlock()
	if refund {
		r.bs.refill(r.b, r.bs.now())
		r.b.tokens = min(r.b.tokens+1, float64(r.bs.rate.Burst))
	}
	r.b.inFlight--
	close(r.b.settled)
	r.b.settled = make(chan struct{})
}

// bucket finds or makes key's bucket; the caller holds bs.mu.
func (bs *buckets) bucket(key string, now time.Time) *bucket {
	if now.Sub(bs.swept) > time.Minute {
		for k, b := range bs.keys {
			if b.inFlight == 0 && now.Sub(b.seen) > 10*time.Minute {
				delete(bs.keys, k)
			}
		}
		bs.swept = now
	}
	b, ok := bs.keys[key]
	if !ok && len(bs.keys) >= maxKeys {
		key = "\x00overflow" // a flood of fresh keys is limited as one client
		b, ok = bs.keys[key]
	}
	if !ok {
		b = &bucket{tokens: float64(bs.rate.Burst), last: now, settled: make(chan struct{})}
		bs.keys[key] = b
	}
	b.seen = now
	return b
}

// refill adds the tokens earned since the bucket was last looked at.
func (bs *buckets) refill(b *bucket, now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 && bs.rate.Every > 0 {
		b.tokens = min(b.tokens+float64(elapsed)/float64(bs.rate.Every), float64(bs.rate.Burst))
	}
	b.last = now
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
