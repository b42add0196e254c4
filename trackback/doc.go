// Package trackback receives and sends linkback notifications: TrackBack
// pings in full, plus the discovery and sending halves of Webmention and
// Pingback.
//
// It is a standalone library: it imports only the standard library,
// golang.org/x/net/html, golang.org/x/text and its own leaf package
// trackback/text, and it keeps no global state.
//
// Receiving a TrackBack ping:
//
//	r.Body = http.MaxBytesReader(w, r.Body, trackback.MaxPingBody)
//	p, err := trackback.ParsePing(r)
//	if err != nil {
//		trackback.WriteError(w, http.StatusOK, trackback.ErrorMessage(err))
//		return
//	}
//	// store p, then:
//	trackback.WriteSuccess(w)
//
// ParsePing decodes the form in the declared charset (Content-Type
// parameter, overridden by a charset field; UTF-8 or Windows-1252 when
// neither is given), strips HTML, drops control characters, collapses white
// space, validates the source URL and applies Movable Type's length rules.
// Everything it returns is valid UTF-8 plain text; callers still escape it
// on output.
//
// Pages that accept pings advertise them with RDFBlock. WriteRSS answers the
// TrackBack 1.1 "__mode=rss" listing.
//
// Sending: Discover fetches a linked page once and reports the first
// endpoint found, Webmention first, then TrackBack RDF, then Pingback.
// Send posts a TrackBack ping and SendWebmention a Webmention; IsRetryable
// tells failures worth retrying from those the remote refused. Every network
// call goes through the *http.Client the caller passes in (the safe client
// of the application); this package never uses http.DefaultClient. Pingback
// itself is XML-RPC and lives elsewhere.
package trackback
