package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// Fault codes of the blog APIs. WordPress's codes are used where it has one,
// since clients show or test them; 429 is ours (WordPress has no rate limit).
const (
	faultInvalid    = 400 // the content was refused: a title missing, a slug taken…
	faultNotAllowed = 401 // WordPress: "Sorry, you are not allowed to…", invalid statuses and types
	faultBadLogin   = 403 // WordPress: "Incorrect username or password."
	faultNotFound   = 404 // WordPress: "Invalid post ID.", "Invalid comment ID."
	faultRateLimit  = 429 // too many failed logins from this address or for this account
	faultUpload     = 500 // WordPress's code for a refused upload
)

// blogID is the one blog this server hosts; clients' blog ids are ignored, as WordPress does.
const blogID = "1"

// newRPCServer builds the XML-RPC endpoint with every blog API method.
func (s *Server) newRPCServer() *xmlrpc.Server {
	// A request carries at most one media file as base64 (a third larger)
	// or a post of up to 1 MiB, which XML escaping can make a few times larger.
	x := xmlrpc.NewServer(s.Log, s.MaxUploadBytes/3*4+8<<20)
	s.registerBlogger(x)
	s.registerMetaWeblog(x)
	s.registerMovableType(x)
	s.registerWordPress(x)
	s.registerPingback(x)
	return x
}

type clientIPKey struct{}

// xmlrpcEndpoint serves /xmlrpc. It sits outside the session and
// cross-origin middleware: clients are not browsers and authenticate every
// call with a password. The client's address goes along for the rate limit.
func (s *Server) xmlrpcEndpoint(c *gin.Context) {
	ctx := context.WithValue(c.Request.Context(), clientIPKey{}, c.ClientIP())
	s.rpc.ServeHTTP(c.Writer, c.Request.WithContext(ctx))
	// A call may have published a post and queued its notifications: let
	// the outbox look now rather than at its next poll (waking is free).
	if c.Request.Method == http.MethodPost {
		s.WakeOutbox()
		s.months.invalidate() // and changed the month archive
	}
}

// rpcLogin checks the user name and password at params i and i+1. The
// password may be the account's or one of its application passwords. Tries
// share the web login's guard: charged before the check, given back when
// the password is right, since clients log in on every call.
func (s *Server) rpcLogin(ctx context.Context, p xmlrpc.Params, i int) (*models.User, error) {
	login, err := p.String(i)
	if err != nil {
		return nil, err
	}
	password, err := p.String(i + 1)
	if err != nil {
		return nil, err
	}
	login = strings.TrimSpace(login)
	if len(login) > models.MaxEmailLen || len(password) > 1024 {
		return nil, &xmlrpc.Fault{Code: faultBadLogin, Message: "Incorrect username or password."}
	}
	ip, _ := ctx.Value(clientIPKey{}).(string)
	attempt, err := s.logins.Begin(ctx, clientKey(ip), strings.ToLower(login))
	if wait := limitedFor(err); wait > 0 {
		return nil, &xmlrpc.Fault{Code: faultRateLimit,
			Message: fmt.Sprintf("Too many failed logins. Wait %s and try again.", seconds(wait))}
	}
	u, err := s.Users.UserByLogin(ctx, login)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		attempt.Abandon()
		return nil, err
	}
	if err != nil {
		u = nil
	} else if _, err := s.AppPasswords.UseAppPassword(ctx, u.ID, password); err == nil {
		attempt.Succeeded()
		return u, nil
	} else if !errors.Is(err, models.ErrNotFound) {
		attempt.Abandon()
		return nil, err
	}
	if !models.CheckPassword(u, password) {
		attempt.Failed()
		return nil, &xmlrpc.Fault{Code: faultBadLogin, Message: "Incorrect username or password."}
	}
	attempt.Succeeded()
	return u, nil
}

// rpcFault turns a store or validation error into the fault a client sees;
// notFound is the message for a missing record. Other errors pass through,
// and the XML-RPC server logs them and answers a generic fault.
func rpcFault(err error, notFound string) error {
	var f *xmlrpc.Fault
	switch {
	case err == nil:
		return nil
	case errors.As(err, &f):
		return err
	case errors.Is(err, models.ErrNotFound):
		return &xmlrpc.Fault{Code: faultNotFound, Message: notFound}
	case models.FieldErrors(err) != nil:
		return &xmlrpc.Fault{Code: faultInvalid, Message: fieldMessages(models.FieldErrors(err))}
	case errors.Is(err, models.ErrInvalid):
		return &xmlrpc.Fault{Code: faultInvalid, Message: "Invalid request."}
	case errors.Is(err, models.ErrForbidden), errors.Is(err, models.ErrUnauthorized):
		return &xmlrpc.Fault{Code: faultNotAllowed, Message: "Sorry, you are not allowed to do that."}
	}
	return err
}

// fieldMessages joins per-field messages in a stable order: "title: A title is required."
func fieldMessages(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + fields[k]
	}
	return strings.Join(parts, " ")
}

func notAllowed(msg string) error { return &xmlrpc.Fault{Code: faultNotAllowed, Message: msg} }

// paramID reads a post or comment id, sent as a string or an int.
func paramID(p xmlrpc.Params, i int, notFound string) (int64, error) {
	raw, err := p.String(i)
	if err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id <= 0 {
		return 0, &xmlrpc.Fault{Code: faultNotFound, Message: notFound}
	}
	return id, nil
}

// optionalInt reads an optional int param, def when absent or empty.
func optionalInt(p xmlrpc.Params, i, def int) (int, error) {
	if i >= len(p) || p[i] == nil || p[i] == "" {
		return def, nil
	}
	return p.Int(i)
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
