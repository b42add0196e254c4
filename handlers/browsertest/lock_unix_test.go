//go:build unix

package browsertest

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// tryLock reports whether another open file could take the lock now.
func tryLock(t *testing.T, path string) bool {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err != nil && !errors.Is(err, syscall.EWOULDBLOCK) {
		t.Fatal(err)
	}
	return err == nil
}

// TestLockHeldForTheTest: while one test holds the browser lock, no other
// holder (another process, or another test here) gets it; it is free again
// when that test ends.
func TestLockHeldForTheTest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "browser.lock") // not the real one: browser tests may run now
	t.Run("holder", func(t *testing.T) {
		lock(t, path)
		if tryLock(t, path) {
			t.Error("a second holder got the lock while the test held it")
		}
	})
	if !tryLock(t, path) {
		t.Error("the lock is still held after the test ended")
	}
}
