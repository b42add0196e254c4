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

const userUsage = `usage: crosstalk user add --name NAME --email EMAIL [--role ROLE] [--display-name NAME] --password-stdin [--db PATH]
       crosstalk user passwd --name NAME --password-stdin [--db PATH]
       crosstalk user reset-link --name NAME [--base-url URL] [--db PATH]
`

// userCommand runs "user add", "user passwd" and "user reset-link";
// passwords come from stdin so they never appear in the process list or
// shell history.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd" && args[0] != "reset-link") {
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "user name")
	email := fs.String("email", "", "email address (add only)")
	role := fs.String("role", string(models.RoleAdministrator), "administrator, editor, author or contributor (add only)")
	display := fs.String("display-name", "", "name shown on posts (add only)")
	base := fs.String("base-url", getenv("CROSSTALK_BASE_URL"), "the blog's public URL, for the link (reset-link only; CROSSTALK_BASE_URL)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	db := dbFlag(fs, getenv)
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *name == "" || (sub != "reset-link" && !*fromStdin) {
		fmt.Fprint(stderr, "user: --name (and, to set a password, --password-stdin) are required\n")
		return errUsage
	}
	if !models.Role(*role).Valid() {
		fmt.Fprintf(stderr, "user: --role %q: use administrator, editor, author or contributor\n", *role)
		return errUsage
	}
	var password string
	if sub != "reset-link" {
		if password, err = readPassword(stdin); err != nil {
			return err
		}
	}
	store, err := models.Open(ctx, *db, models.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	switch sub {
	case "add":
		u := &models.User{Name: *name, Email: *email, Role: models.Role(*role), DisplayName: strings.TrimSpace(*display)}
		return addUser(ctx, store, u, password, stdout)
	case "reset-link":
		return resetLink(ctx, store, *name, *base, stdout)
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

func readPassword(stdin io.Reader) (string, error) {
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(password, "\r\n"), nil
}

func addUser(ctx context.Context, store *models.Store, u *models.User, password string, stdout io.Writer) error {
	if err := models.ValidateNewUser(u.Name, u.Email, password); err != nil {
		return err
	}
	hash, err := models.HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, models.ErrConflict) {
			return fmt.Errorf("a user named %q exists already", u.Name)
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s %s\n", u.Role, u.Name)
	return nil
}

// resetLink prints a one-time password reset link (valid for an hour), for
// blogs that send no email.
func resetLink(ctx context.Context, store *models.Store, name, base string, stdout io.Writer) error {
	u, err := store.UserByLogin(ctx, name)
	if err != nil {
		return fmt.Errorf("no user %q: %w", name, err)
	}
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	link, err := store.IssuePasswordReset(ctx, u.ID, base)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n(works once, for an hour)\n", link)
	return nil
}
