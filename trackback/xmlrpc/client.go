package xmlrpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// MaxResponseSize is the largest response body [Call] reads.
const MaxResponseSize = 1 << 20

// Call performs an XML-RPC call over HTTP: it POSTs a methodCall for method
// and params to url with client, and decodes the response.
//
// The caller supplies the client (and with it timeouts, redirect policy and
// any SSRF protection); Call never falls back to [net/http.DefaultClient]
// and fails if client is nil. A response other than 200 OK, or a body larger
// than [MaxResponseSize], is an error. If the server answers with a fault,
// the error is that *[Fault].
func Call(ctx context.Context, client *http.Client, url, method string, params ...any) (any, error) {
	if client == nil {
		return nil, errors.New("xmlrpc: Call needs an *http.Client")
	}
	var body bytes.Buffer
	if err := EncodeCall(&body, method, params...); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, &body)
	if err != nil {
		return nil, fmt.Errorf("xmlrpc: %w", err)
	}
	req.Header.Set("Content-Type", "text/xml")
	req.Header.Set("User-Agent", "Crosstalk XML-RPC")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("xmlrpc: %s: %w", method, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // allow connection reuse
		return nil, fmt.Errorf("xmlrpc: %s: unexpected HTTP status %s", method, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseSize+1))
	if err != nil {
		return nil, fmt.Errorf("xmlrpc: %s: reading response: %w", method, err)
	}
	if len(data) > MaxResponseSize {
		return nil, fmt.Errorf("xmlrpc: %s: response larger than %d bytes", method, MaxResponseSize)
	}
	return DecodeResponse(bytes.NewReader(data))
}
