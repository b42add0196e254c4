package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/crosstalk/crosstalk/models"
)

// backup writes a consistent copy of the database while the server may be running.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, "usage: crosstalk backup [--db PATH] FILE\n")
		return errUsage
	}
	target := fs.Arg(0)
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists already: choose a new file name", target)
	}
	if models.IsPostgresURL(*db) {
		return fmt.Errorf("this blog is on PostgreSQL: back it up with pg_dump")
	}
	// As is: a newer binary must not migrate the live database it copies.
	store, err := models.OpenSQLiteAsIs(ctx, *db, models.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	if err := store.Backup(ctx, target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", *db, target)
	return nil
}
