package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/crosstalk/crosstalk/models"
)

// userCommand runs "user add" and "user passwd"; passwords come from stdin
// so they never appear in the process list or shell history.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		fmt.Fprint(stderr, "usage: crosstalk user add|passwd --name NAME [--email EMAIL] --password-stdin [--db PATH]\n")
		return errUsage
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "user name")
	email := fs.String("email", "", "email address (add only)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	db := dbFlag(fs, getenv)
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if !*fromStdin || *name == "" {
		fmt.Fprint(stderr, "user: --name and --password-stdin are required\n")
		return errUsage
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	password = strings.TrimRight(password, "\r\n")
	store, err := models.Open(ctx, *db, models.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	if sub == "add" {
		if err := models.ValidateNewUser(*name, *email, password); err != nil {
			return err
		}
		hash, err := models.HashPassword(password)
		if err != nil {
			return err
		}
		if err := store.CreateUser(ctx, &models.User{Name: *name, Email: *email, PasswordHash: hash}); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return fmt.Errorf("a user named %q exists already", *name)
			}
			return err
		}
		fmt.Fprintf(stdout, "created admin %s\n", *name)
		return nil
	}
	u, err := store.UserByLogin(ctx, *name)
	if err != nil {
		return fmt.Errorf("no user %q: %w", *name, err)
	}
	hash, err := models.HashPassword(password)
	if err != nil {
		return err
	}
	if err := store.SetPasswordHash(ctx, u.ID, hash); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "password changed for %s\n", u.Name)
	return nil
}
