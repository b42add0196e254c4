// Command crosstalk is a one-binary blog with TrackBack, Pingback and
// Webmention built in. It is the only place that wires the packages together.
//
//	crosstalk [serve] [flags]     run the blog (the default)
//	crosstalk user add|passwd|reset-link  manage accounts
//	crosstalk backup FILE         copy the live database
//	crosstalk import wordpress    move a WordPress blog in (WXR file)
//	crosstalk export wordpress    write the blog as a WXR file
//	crosstalk version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	tuneMemory(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, getenv, stderr)
	case "user":
		err = userCommand(ctx, args, getenv, stdin, stdout, stderr)
	case "backup":
		err = backup(ctx, args, getenv, stdout, stderr)
	case "import":
		err = importCommand(ctx, args, getenv, stdout, stderr)
	case "export":
		err = exportCommand(ctx, args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "crosstalk", version)
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "crosstalk: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "crosstalk:", err)
		return 1
	}
	return 0
}

const usage = `Crosstalk: a blog that talks to other blogs.

Usage:
  crosstalk [serve] [flags]          run the blog (the default command)
  crosstalk user add --name NAME --email EMAIL [--role ROLE] [--display-name NAME] --password-stdin [--db PATH]
  crosstalk user passwd --name NAME --password-stdin [--db PATH]
  crosstalk user reset-link --name NAME [--base-url URL] [--db PATH]
  crosstalk backup [--db PATH] FILE  write a consistent copy of the live database
  crosstalk import wordpress [--db PATH] [--uploads DIR] [--fetch-media] [--dry-run] FILE.xml
                                     import a WordPress export (Tools → Export)
  crosstalk export wordpress [--db PATH] --base-url URL FILE.xml
                                     write the blog as WXR 1.2 for WordPress
  crosstalk version

Run "crosstalk serve --help" for the server's flags and environment variables.
`
