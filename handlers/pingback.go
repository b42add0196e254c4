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
	var code int
	var msg string
	switch {
	case errors.As(err, &limited) && limited.Scope == intake.ScopeAddress:
		code, msg = faultAccessDenied, fmt.Sprintf("Too many pingbacks from this address; wait %d seconds and try again.", limited.Seconds())
	case errors.As(err, &limited):
		code, msg = faultAccessDenied, fmt.Sprintf("This post is receiving too many pingbacks; wait %d seconds and try again.", limited.Seconds())
	case errors.Is(err, intake.ErrSourceInvalid):
		code, msg = faultSourceMissing, "The source URI is not a valid http or https URL."
	case errors.Is(err, intake.ErrSourceUnreadable):
		code, msg = faultSourceMissing, "The source URI could not be read."
	case errors.Is(err, intake.ErrNoLink):
		code, msg = faultNoLink, "The source URI does not contain a link to the target URI, and so cannot be used as a source."
	case errors.Is(err, intake.ErrTargetUnknown):
		code, msg = faultTargetMissing, "The specified target URI does not exist."
	case errors.Is(err, intake.ErrTargetRefused):
		code, msg = faultTargetInvalid, "The specified target URI cannot be used as a target."
	case errors.Is(err, intake.ErrDuplicate):
		code, msg = faultAlreadyRegistered, "The pingback has already been registered."
	case errors.Is(err, intake.ErrBlocked):
		code, msg = faultAccessDenied, "Access denied."
	case errors.Is(err, intake.ErrSelfSource):
		code, msg = faultPingGeneric, "The source is this blog itself."
	default:
		return err
	}
	return &xmlrpc.Fault{Code: code, Message: msg}
}
