package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// loginFrom logs in from address (X-Forwarded-For behind the trusted test
// proxy) with a fresh client and returns the status.
func (e *testEnv) loginFrom(address, login, password string) int {
	e.t.Helper()
	c := e.client()
	token := csrfFrom(e.t, e.do(c, "GET", "/login", nil, "X-Forwarded-For", address).body)
	form := url.Values{"login": {login}, "password": {password}, "csrf_token": {token}}
	return e.do(c, "POST", "/login", form, "X-Forwarded-For", address).status
}

// TestParallelGuessesAreChargedBeforeTheCheck: 40 wrong passwords sent at
// once from one address get no more checks than the allowance (5 per account
// and address); the rest are refused with 429 before any check.
func TestParallelGuessesAreChargedBeforeTheCheck(t *testing.T) {
	e := newEnvBehindProxy(t)
	_, _ = e.admin()
	statuses := make(chan int, 40)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() { statuses <- e.loginFrom("198.51.100.7", "admin", fmt.Sprint("guess ", i)) })
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[http.StatusUnauthorized] > 5 || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != 40 {
		t.Fatalf("40 parallel guesses: %v; want at most 5 checked (401), the rest 429", count)
	}

	// The same over XML-RPC, from another address.
	faults := make(chan int, 40)
	for i := range 40 {
		wg.Go(func() {
			var body bytes.Buffer
			if err := xmlrpc.EncodeCall(&body, "blogger.getUsersBlogs", "", "admin", fmt.Sprint("guess ", i)); err != nil {
				t.Error(err)
			}
			_, err := e.rpcRaw(body.String(), "X-Forwarded-For", "198.51.100.8")
			var f *xmlrpc.Fault
			if !errors.As(err, &f) {
				t.Errorf("guess %d over XML-RPC: %v", i, err)
				return
			}
			faults <- f.Code
		})
	}
	wg.Wait()
	close(faults)
	count = map[int]int{}
	for code := range faults {
		count[code]++
	}
	if count[xmlrpcapi.FaultBadLogin] > 5 || count[xmlrpcapi.FaultBadLogin]+count[xmlrpcapi.FaultRateLimit] != 40 {
		t.Fatalf("40 parallel XML-RPC guesses: %v; want at most 5 checked (%d), the rest %d", count, xmlrpcapi.FaultBadLogin, xmlrpcapi.FaultRateLimit)
	}
}

// TestOwnerIsNotLockedOut: a stranger's 80 wrong guesses from many addresses
// slow the stranger, not the owner, who gets in from their own address on the
// web and over XML-RPC.
func TestOwnerIsNotLockedOut(t *testing.T) {
	e := newEnvBehindProxy(t)
	_, u := e.admin()
	refused := 0
	for i := range 80 {
		switch e.loginFrom(fmt.Sprintf("203.0.113.%d", i%16), "admin", fmt.Sprint("guess ", i)) {
		case http.StatusTooManyRequests:
			refused++
		case http.StatusUnauthorized:
		default:
			t.Fatalf("guess %d let in", i)
		}
	}
	if refused < 40 {
		t.Fatalf("only %d of 80 guesses were refused", refused)
	}
	if got := e.loginFrom("192.0.2.10", "admin", testPassword); got != http.StatusSeeOther {
		t.Fatalf("the owner from a clean address: %d, want 303", got)
	}
	var body bytes.Buffer
	if err := xmlrpc.EncodeCall(&body, "blogger.getUsersBlogs", "", u.Name, testPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rpcRaw(body.String(), "X-Forwarded-For", "192.0.2.11"); err != nil {
		t.Fatalf("the owner over XML-RPC from a clean address: %v", err)
	}
	if _, err := e.rpcRaw(body.String(), "X-Forwarded-For", "203.0.113.3"); err == nil {
		t.Fatal("a guessing address got in with the right password while limited")
	}
}
