package handlers

import (
	"context"
	"errors"
	"fmt"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// Pingback 1.0 fault codes.
const (
	faultPingGeneric       = 0
	faultSourceMissing     = 16
	faultNoLink            = 17
	faultTargetMissing     = 32
	faultTargetInvalid     = 33
	faultAlreadyRegistered = 48
	faultAccessDenied      = 49
)

func (s *Server) registerPingback(x *xmlrpc.Server) {
	x.Register("pingback.ping", func(ctx context.Context, p xmlrpc.Params) (any, error) {
		ip, _ := ctx.Value(clientIPKey{}).(string)
		return pingbackPing(ctx, s.intake, ip, p)
	})
}

// pingbackPing receives pingback.ping(sourceURI, targetURI) from ip. Unlike
// a TrackBack, the source is fetched at once (the protocol reports a missing
// link as a fault), so what is stored is already verified.
func pingbackPing(ctx context.Context, in *intake.Service, ip string, p xmlrpc.Params) (any, error) {
	if err := in.Admit(ip); err != nil {
		return nil, pingbackFault(err)
	}
	source, err := p.String(0)
	if err != nil {
		return nil, err
	}
	target, err := p.String(1)
	if err != nil {
		return nil, err
	}
	res, err := in.Receive(ctx, intake.Linkback{Kind: models.FeedbackPingback, Source: source, Target: target, RemoteIP: ip})
	if err != nil {
		return nil, pingbackFault(err)
	}
	return fmt.Sprintf("Pingback from %s to %s registered.", res.Feedback.SourceURL, target), nil
}

// pingbackFault maps the intake's refusals to Pingback 1.0 fault codes with
// fixed messages, never the text of a Go error; other errors are logged by
// the XML-RPC server and answered as a generic fault.
func pingbackFault(err error) error {
	var limited *intake.RateLimitError
	if errors.As(err, &limited) {
		msg := "Too many pingbacks from this address; wait %d seconds and try again."
		if limited.Scope == intake.ScopePost {
			msg = "This post is receiving too many pingbacks; wait %d seconds and try again."
		}
		return &xmlrpc.Fault{Code: faultAccessDenied, Message: fmt.Sprintf(msg, limited.Seconds())}
	}
	for _, f := range []struct {
		err  error
		code int
		msg  string
	}{
		{intake.ErrSourceInvalid, faultSourceMissing, "The source URI is not a valid http or https URL."},
		{intake.ErrSourceUnreadable, faultSourceMissing, "The source URI could not be read."},
		{intake.ErrNoLink, faultNoLink, "The source URI does not contain a link to the target URI, and so cannot be used as a source."},
		{intake.ErrTargetUnknown, faultTargetMissing, "The specified target URI does not exist."},
		{intake.ErrTargetRefused, faultTargetInvalid, "The specified target URI cannot be used as a target."},
		{intake.ErrDuplicate, faultAlreadyRegistered, "The pingback has already been registered."},
		{intake.ErrBlocked, faultAccessDenied, "Access denied."},
		{intake.ErrSelfSource, faultPingGeneric, "The source is this blog itself."},
	} {
		if errors.Is(err, f.err) {
			return &xmlrpc.Fault{Code: f.code, Message: f.msg}
		}
	}
	return err
}
