package intake

import (
	"context"
	"strings"

	"github.com/crosstalk/crosstalk/models"
)

// MentionState is where a received Webmention stands, as its status page
// tells the sender.
type MentionState string

// The states of a received Webmention.
const (
	// StateQueued: received, the source not checked yet (or not reachable yet).
	StateQueued MentionState = "queued"
	// StateVerified: the source links to the target; moderation is pending.
	StateVerified MentionState = "verified"
	// StateRefused: the source does not link, is gone or could not be
	// fetched, or the blog's owner did not accept the mention.
	StateRefused MentionState = "refused"
	// StateApproved: verified and shown under the post.
	StateApproved MentionState = "approved"
)

// Why a source check refused a linkback, in the words the status page and
// the moderation queue show (the verifier records them).
const (
	ReasonNoLink      = "the source does not link to the target"
	ReasonUnreachable = "the source could not be fetched"
	ReasonGone        = "the source is gone"
)

// MentionStatus is what a Webmention's status page shows.
type MentionStatus struct {
	State   MentionState
	Source  string
	Target  string
	Summary string // one plain sentence or two
}

// WebmentionStatus reads the status of the Webmention whose status page
// token is token; models.ErrNotFound when there is none.
func (s *Service) WebmentionStatus(ctx context.Context, token string) (*MentionStatus, error) {
	f, err := s.Feedback.WebmentionByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	st := &MentionStatus{Source: f.SourceURL, Target: f.TargetURL}
	st.State, st.Summary = mentionState(f)
	return st, nil
}

// mentionState derives the state and its summary from the stored row.
func mentionState(f *models.Feedback) (MentionState, string) {
	rechecking := ""
	if f.Verification == models.VerificationRecheck {
		rechecking = " It was sent again; the source is being fetched again."
	}
	switch {
	case f.Status == models.ModSpam || f.Status == models.ModTrash:
		return StateRefused, "The blog's owner did not accept this mention."
	case strings.HasPrefix(f.Verification, models.VerificationFailed):
		reason := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(f.Verification, models.VerificationFailed), ":"))
		if reason == "" {
			reason = ReasonUnreachable
		}
		return StateRefused, "Refused: " + reason + "."
	case f.Verification == models.VerificationPending && f.VerifyAttempts > 0:
		return StateQueued, "Received. The source could not be fetched yet; it will be tried again later."
	case f.Verification == models.VerificationPending:
		return StateQueued, "Received. The source has not been checked yet."
	case f.Status == models.ModApproved:
		return StateApproved, "The source links to the target, and the mention is shown under the post." + rechecking
	}
	return StateVerified, "The source links to the target; the mention awaits the blog owner's approval." + rechecking
}
