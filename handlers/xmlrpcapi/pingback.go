package xmlrpcapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/intake"
	"github.com/crosstalk/crosstalk/trackback/xmlrpc"
)

// Pingback 1.0 fault codes.
const (
	FaultPingGeneric       = 0
	FaultSourceMissing     = 16
	FaultNoLink            = 17
	FaultTargetMissing     = 32
	FaultTargetInvalid     = 33
	FaultAlreadyRegistered = 48
	FaultAccessDenied      = 49
	FaultUpstream          = 50
)

// Linkbacks is the linkback intake service (models/intake) that
// pingback.ping hands a ping to.
type Linkbacks interface {
	Admit(ctx context.Context, kind models.FeedbackKind, remoteIP string) error
	Receive(ctx context.Context, lb intake.Linkback) (*intake.Result, error)
}

// pingbackPing receives pingback.ping(sourceURI, targetURI). Unlike a
// TrackBack, the source is fetched at once (the protocol reports a missing
// link as a fault), so what is stored is already verified.
func (a *API) pingbackPing(ctx context.Context, p xmlrpc.Params) (any, error) {
	ip := ClientIP(ctx)
	in := a.Linkbacks
	if err := in.Admit(ctx, models.FeedbackPingback, ip); err != nil {
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
		msg := "Too many pingbacks from this address; wait %s and try again."
		if limited.Scope == intake.ScopePost {
			msg = "This post is receiving too many pingbacks; wait %s and try again."
		}
		return &xmlrpc.Fault{Code: FaultAccessDenied, Message: fmt.Sprintf(msg, loginguard.Seconds(limited.Seconds()))}
	}
	for _, f := range []struct {
		err  error
		code int
		msg  string
	}{
		{intake.ErrSourceInvalid, FaultSourceMissing, "The source URI is not a valid http or https URL."},
		{intake.ErrSourceUnreadable, FaultSourceMissing, "The source URI could not be read."},
		{intake.ErrSourceUpstream, FaultUpstream, "The source URI could not be retrieved because of an upstream error."},
		{intake.ErrNoLink, FaultNoLink, "The source URI does not contain a link to the target URI, and so cannot be used as a source."},
		{intake.ErrTargetUnknown, FaultTargetMissing, "The specified target URI does not exist."},
		{intake.ErrTargetRefused, FaultTargetInvalid, "The specified target URI cannot be used as a target."},
		{intake.ErrDuplicate, FaultAlreadyRegistered, "The pingback has already been registered."},
		{intake.ErrBlocked, FaultAccessDenied, "Access denied."},
		{intake.ErrSelfSource, FaultPingGeneric, "The source is this blog itself."},
	} {
		if errors.Is(err, f.err) {
			return &xmlrpc.Fault{Code: f.code, Message: f.msg}
		}
	}
	return err
}
