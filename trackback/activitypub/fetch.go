package activitypub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/crosstalk/crosstalk/trackback"
)

// Accept is what Crosstalk asks for when it fetches a document.
const Accept = ContentType + ", " + LDContentType

// maxDocument caps a fetched actor or key document.
const maxDocument = 1 << 20

// ErrNotActor means a fetched document is not a usable actor: no id, inbox
// or key, or an id other than the one asked for.
var ErrNotActor = errors.New("activitypub: not a usable actor document")

// FetchActor fetches the actor (or the key document) at id through client,
// the safe client, signing the GET with signer when it has a key (servers
// in "authorized fetch" mode ask for it). A key document (GoToSocial's
// stub, or a keyId that is not the actor) is followed to its owner once.
func FetchActor(ctx context.Context, client *http.Client, id string, signer Signer, now time.Time) (*Actor, error) {
	a, err := fetchActor(ctx, client, id, signer, now)
	if err != nil {
		return nil, err
	}
	if a.Inbox == "" && a.PublicKey == nil && a.ID != "" { // a bare key: {id, owner, publicKeyPem}
		return nil, ErrNotActor
	}
	if a.Inbox == "" && a.PublicKey != nil && a.PublicKey.Owner != "" && a.PublicKey.Owner != id {
		return fetchActor(ctx, client, a.PublicKey.Owner, signer, now)
	}
	return a, nil
}

func fetchActor(ctx context.Context, client *http.Client, id string, signer Signer, now time.Time) (*Actor, error) {
	if !IsHTTPURL(id) {
		return nil, fmt.Errorf("%w: %q", ErrNotActor, id)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, id, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", Accept)
	if signer.Key != nil {
		if err := signer.Sign(req, nil, now); err != nil {
			return nil, err
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &trackback.HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocument+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxDocument {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrNotActor, maxDocument)
	}
	var doc struct {
		Actor
		// A key document names its owner at the top level.
		Owner        string `json:"owner"`
		PublicKeyPem string `json:"publicKeyPem"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotActor, err)
	}
	a := doc.Actor
	if doc.Owner != "" && doc.PublicKeyPem != "" && a.PublicKey == nil {
		a.PublicKey = &PublicKey{ID: a.ID, Owner: doc.Owner, PublicKeyPem: doc.PublicKeyPem}
	}
	namesKey := a.PublicKey != nil && a.PublicKey.ID == id
	if a.ID != id && KeyOwner(id) != a.ID && !namesKey {
		return nil, fmt.Errorf("%w: asked for %q, got %q", ErrNotActor, id, a.ID)
	}
	if a.Inbox != "" && (!IsHTTPURL(a.Inbox) || a.PublicKey == nil) {
		return nil, ErrNotActor
	}
	return &a, nil
}

// Post delivers an activity to an inbox, signed by signer. A 2xx answer is
// success; any other is a *trackback.HTTPError (the outbox decides whether
// to retry).
func Post(ctx context.Context, client *http.Client, inbox string, body []byte, signer Signer, now time.Time) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", trackback.ErrInvalidURL, err)
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("Accept", Accept)
	if err := signer.Sign(req, body, now); err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &trackback.HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			e.RetryAfter = trackback.ParseRetryAfter(resp.Header.Get("Retry-After"), now)
		}
		return e
	}
	return nil
}
