//go:build unix

package browsertest

import (
	"os"
	"syscall"
)

// lockFile blocks until this process holds an exclusive flock on f. The
// kernel drops the lock when the file is closed or the process dies, so a
// crashed test run never leaves it behind.
func lockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }
