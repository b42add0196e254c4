//go:build !unix

package browsertest

import "os"

// lockFile is a no-op where flock does not exist: the browser suites may
// then overlap across packages (run them with -p 1 there).
func lockFile(*os.File) error { return nil }
