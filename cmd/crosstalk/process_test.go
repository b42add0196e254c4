package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// runAsServerEnv makes the test binary run main() instead of the tests, so
// tests can start the real server as a child process (to read its memory,
// or to kill it with SIGKILL).
const runAsServerEnv = "CROSSTALK_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsServerEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// child is a crosstalk server running as a separate process.
type child struct {
	cmd *exec.Cmd
	url string
	log *lockedBuffer
}

var servingRE = regexp.MustCompile(`msg=serving addr=(\S+)`)

// startChild runs "crosstalk serve" on a free port with args added, and
// waits until it listens. The process is killed when the test ends.
func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), runAsServerEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, log: &lockedBuffer{}}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", c.log.String())
		}
	})
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		fmt.Fprintln(c.log, lines.Text())
		if m := servingRE.FindStringSubmatch(lines.Text()); m != nil {
			c.url = "http://" + m[1]
			break
		}
	}
	if c.url == "" {
		t.Fatalf("the server did not start:\n%s", c.log.String())
	}
	go func() { _, _ = io.Copy(c.log, stderr) }()
	return c
}

// peakRSS is the child's peak resident memory (VmHWM) in bytes.
func (c *child) peakRSS(t *testing.T) int64 {
	t.Helper()
	status, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(c.cmd.Process.Pid), "status"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" && f[2] == "kB" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc status:\n%s", status)
	return 0
}

func skipUnlessLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc: Linux only")
	}
}
