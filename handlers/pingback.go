package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/trackback"
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
	x.Register("pingback.ping", s.pingbackPing)
}

// pingbackPing receives pingback.ping(sourceURI, targetURI). Unlike a
// TrackBack, the source is fetched at once (the protocol reports a missing
// link as a fault), so what is stored is already verified. Faults carry
// fixed messages: never the text of a Go error.
func (s *Server) pingbackPing(ctx context.Context, p xmlrpc.Params) (any, error) {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	if ok, wait := s.pingIP.allow(clientKey(ip)); !ok {
		return nil, pbFault(faultAccessDenied, fmt.Sprintf("Too many pingbacks from this address; wait %d seconds and try again.", int(wait.Seconds())+1))
	}
	rawSource, err := p.String(0)
	if err != nil {
		return nil, err
	}
	target, err := p.String(1)
	if err != nil {
		return nil, err
	}
	source, err := trackback.CleanURL(rawSource)
	if err != nil {
		return nil, pbFault(faultSourceMissing, "The source URI is not a valid http or https URL.")
	}
	post, site, err := s.linkbackTarget(ctx, target)
	switch {
	case errors.Is(err, errTargetUnknown):
		return nil, pbFault(faultTargetMissing, "The specified target URI does not exist.")
	case errors.Is(err, errTargetRefused):
		return nil, pbFault(faultTargetInvalid, "The specified target URI cannot be used as a target.")
	case err != nil:
		return nil, err // logged by the server, answered as a generic fault
	}
	if same, _ := trackback.CleanURL(s.BaseURL + post.Path()); same == source || s.selfSource(ctx, source, post, site) {
		return nil, pbFault(faultPingGeneric, "The source is this blog itself.")
	}
	if site.Blocked(sourceHost(source), ip) {
		return nil, pbFault(faultAccessDenied, "Access denied.")
	}
	// Known already: answer before fetching anything.
	if known, err := s.Feedback.HasLinkback(ctx, post.ID, models.FeedbackPingback, source); err != nil {
		return nil, err
	} else if known {
		return nil, pbFault(faultAlreadyRegistered, "The pingback has already been registered.")
	}
	if ok, wait := s.pingPost.allow(strconv.FormatInt(post.ID, 10)); !ok {
		return nil, pbFault(faultAccessDenied, fmt.Sprintf("This post is receiving too many pingbacks; wait %d seconds and try again.", int(wait.Seconds())+1))
	}
	title, excerpt, err := trackback.Mention(ctx, s.Client, source, target)
	if errors.Is(err, trackback.ErrNoLinkBack) {
		return nil, pbFault(faultNoLink, "The source URI does not contain a link to the target URI, and so cannot be used as a source.")
	}
	if err != nil {
		s.Log.Info("pingback source unreadable", "source", source, "err", err)
		return nil, pbFault(faultSourceMissing, "The source URI could not be read.")
	}
	status := models.ModPending
	if approve, err := s.autoApproveVerified(ctx, site, source); err != nil {
		return nil, err
	} else if approve {
		status = models.ModApproved
	}
	if title == "" {
		title = truncate(source, trackback.MaxTitle)
	}
	fb := &models.Feedback{PostID: post.ID, Kind: models.FeedbackPingback, Status: status, AuthorName: sourceHost(source),
		SourceURL: source, Title: title, Content: excerpt, IP: ip, Verification: models.VerificationVerified}
	created, err := s.Feedback.AddFeedback(ctx, fb)
	if err != nil {
		return nil, err
	}
	if !created {
		return nil, pbFault(faultAlreadyRegistered, "The pingback has already been registered.")
	}
	return fmt.Sprintf("Pingback from %s to %s registered.", source, target), nil
}

// autoApproveVerified applies the verifier's rule to a linkback verified on
// receipt: live at once unless the site holds everything for moderation and
// the source's site was never approved before.
func (s *Server) autoApproveVerified(ctx context.Context, site models.Site, source string) (bool, error) {
	if !site.ModerateAll {
		return true, nil
	}
	return s.Feedback.ApprovedFromSite(ctx, source)
}

func pbFault(code int, msg string) error { return &xmlrpc.Fault{Code: code, Message: msg} }
