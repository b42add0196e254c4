package trackback

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// Limits on what is read of a remote reply.
const (
	maxReplyBody   = 64 << 10 // a TrackBack reply
	maxWMReplyBody = 4 << 10  // a Webmention reply, read for its message
	maxMessage     = 300      // runes of a remote message kept
)

// errNoClient is returned when a nil *http.Client is passed: this package
// never falls back to http.DefaultClient.
var errNoClient = errors.New("trackback: no HTTP client given")

// Send posts the TrackBack ping p to pingURL through client, as
// application/x-www-form-urlencoded; charset=utf-8 with the fields title,
// url, excerpt and blog_name (sent as given: cut the excerpt with Excerpt
// first). A reply with <error>0</error> is success; <error>1</error> gives
// a *RemoteError carrying the reply's message. A status outside 2xx gives
// an *HTTPError; network errors and a reply without an <error> element give
// an ordinary error. Use IsRetryable to tell them apart. The reply is read
// leniently (a PHP warning before the XML does not hide the verdict).
func Send(ctx context.Context, client *http.Client, pingURL string, p Ping) error {
	if client == nil {
		return errNoClient
	}
	pingURL, ok := resolveRef(nil, pingURL)
	if !ok {
		return fmt.Errorf("trackback: ping URL: %w", ErrInvalidURL)
	}
	form := url.Values{
		"title":     {strings.ToValidUTF8(p.Title, "\uFFFD")},
		"url":       {strings.ToValidUTF8(p.URL, "\uFFFD")},
		"excerpt":   {strings.ToValidUTF8(p.Excerpt, "\uFFFD")},
		"blog_name": {strings.ToValidUTF8(p.BlogName, "\uFFFD")},
	}
	resp, err := postForm(ctx, client, pingURL, form, "application/x-www-form-urlencoded; charset=utf-8",
		"text/xml, application/xml;q=0.9, */*;q=0.1")
	if err != nil {
		return fmt.Errorf("trackback: sending ping to %s: %w", pingURL, err)
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxReplyBody))
	code, msg, parsed := parseReply(body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, Message: msg}
	}
	if !parsed {
		if readErr != nil {
			return fmt.Errorf("trackback: reading the reply of %s: %w", pingURL, readErr)
		}
		return fmt.Errorf("trackback: %s answered without a TrackBack reply", pingURL)
	}
	if code != 0 {
		return &RemoteError{StatusCode: resp.StatusCode, Message: msg}
	}
	return nil
}

// SendWebmention notifies endpoint that source links to target: a form POST
// of source and target (the endpoint's own query string is kept). Any 2xx
// is success. 4xx answers other than 408 and 429 give a *RemoteError with
// the status and the start of the reply text; other statuses give a
// retryable *HTTPError, network failures an ordinary error.
func SendWebmention(ctx context.Context, client *http.Client, endpoint, source, target string) error {
	if client == nil {
		return errNoClient
	}
	endpoint, ok := resolveRef(nil, endpoint)
	if !ok {
		return fmt.Errorf("trackback: webmention endpoint: %w", ErrInvalidURL)
	}
	form := url.Values{"source": {source}, "target": {target}}
	resp, err := postForm(ctx, client, endpoint, form, "application/x-www-form-urlencoded", "*/*")
	if err != nil {
		return fmt.Errorf("trackback: sending webmention to %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxWMReplyBody)) // reuse the connection
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxWMReplyBody))
	switch c := resp.StatusCode; {
	case c >= 400 && c <= 499 && c != http.StatusRequestTimeout && c != http.StatusTooManyRequests:
		msg := resp.Status
		if text := remoteText(body); text != "" {
			msg += ": " + text
		}
		return &RemoteError{StatusCode: c, Message: msg}
	}
	return &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
}

// postForm POSTs form to target through client.
func postForm(ctx context.Context, client *http.Client, target string, form url.Values, contentType, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", accept)
	return client.Do(req)
}

// parseReply reads a TrackBack reply the lenient way Movable Type does:
// the first <error>N</error> is the verdict and <message> its reason. ok is
// false when there is no such element.
func parseReply(b []byte) (code int, message string, ok bool) {
	_, rest, found := bytes.Cut(b, []byte("<error>"))
	if !found {
		return 0, "", false
	}
	val, rest, found := bytes.Cut(rest, []byte("</error>"))
	if !found {
		return 0, "", false
	}
	code, err := strconv.Atoi(string(bytes.TrimSpace(val)))
	if err != nil {
		return 0, "", false
	}
	if _, m, found := bytes.Cut(rest, []byte("<message>")); found {
		if m, _, found = bytes.Cut(m, []byte("</message>")); found {
			m = bytes.TrimSpace(m)
			if c, ok := bytes.CutPrefix(m, []byte("<![CDATA[")); ok {
				m, _ = bytes.CutSuffix(c, []byte("]]>"))
			}
			message = remoteText(m)
		}
	}
	return code, message, true
}

// remoteText turns remote bytes into short, clean plain text.
func remoteText(b []byte) string {
	return text.Shorten(cleanText(strings.ToValidUTF8(string(b), "\uFFFD")), maxMessage, "")
}
