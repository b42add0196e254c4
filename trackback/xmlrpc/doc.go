// Package xmlrpc implements the XML-RPC wire format and a small server and
// client on top of it, as used by desktop blog editors (MarsEdit, Open Live
// Writer) speaking the Blogger, MetaWeblog, Movable Type and WordPress APIs,
// and by Pingback's pingback.ping.
//
// The package depends only on the standard library and has no knowledge of
// any web framework: [Server] is an [net/http.Handler].
//
// # Value mapping
//
// Decoding (requests with [DecodeCall], responses with [DecodeResponse])
// produces these Go values:
//
//	<int>, <i4>, <i8>        int (values that do not fit in int are rejected)
//	<boolean>                bool ("1"/"0"; "true"/"false" are tolerated)
//	<string>, untyped text   string (kept verbatim, whitespace included)
//	<double>                 float64 (NaN and infinities are rejected)
//	<dateTime.iso8601>       time.Time, always in UTC (see below)
//	<base64>                 []byte (embedded whitespace and line breaks are ignored)
//	<array>                  []any
//	<struct>                 map[string]any (a repeated member name: last one wins)
//	<nil/>                   nil
//	<value></value>          "" (an empty untyped value is an empty string)
//
// Encoding ([EncodeCall], [EncodeResponse]) accepts the same types plus all
// other integer kinds (emitted as <int>; uint64 values above
// math.MaxInt64 are rejected), float32, []string, []map[string]any,
// [Struct], [Params], any other slice or array (a slice or array of bytes is
// base64), any map with string keys (members are written in sorted key
// order so output is deterministic), pointers (nil encodes as <nil/>) and
// named types of all of these. Go structs are not supported. Integers are
// always written as <int>, even outside the 32-bit range of the
// specification, because <i8> is an extension many clients do not know while
// the common ones (PHP, Python) parse large <int> values.
//
// Strings are XML-escaped. Invalid UTF-8 and code points that XML 1.0 cannot
// carry (most C0 control characters, U+FFFE, U+FFFF) are replaced with
// U+FFFD, so the output is always well-formed XML.
//
// Handlers should avoid returning nil: <nil/> is an extension that WordPress
// and several clients do not understand.
//
// # Dates
//
// The decoder accepts the forms real clients send: 20060102T15:04:05 and
// 2006-01-02T15:04:05, with or without a time zone designator (Z, +07:00 or
// +0700), optional fractional seconds, and the compact 20060102T150405.
// A value without a zone is taken to be UTC, as WordPress does for
// dateCreated. Decoded times are converted to UTC.
//
// The encoder writes times in UTC as 20060102T15:04:05, without a zone
// designator and without fractional seconds: this is the form of the
// specification's own example, the form WordPress sends, and the only form
// some strict parsers (Python's xmlrpc.client among them) accept. Because a
// missing zone means UTC to this decoder, encoding and decoding round-trip.
//
// # Limits and safety
//
// Arrays and structs may be nested at most [MaxDepth] levels deep, in both
// directions. Documents containing a DOCTYPE or any other <!...> directive are
// rejected, as are entity references other than the five predefined ones, so
// no entity is ever expanded. The request encodings UTF-8, US-ASCII and
// ISO-8859-1 are understood; a leading UTF-8 byte order mark is ignored.
// [DecodeCall] reads its input to the end and does not bound its size: cap
// the reader (as [Server] does with [net/http.MaxBytesReader]).
//
// # Faults
//
// Every error returned by [DecodeCall] is a *[Fault] (code
// [CodeParseError] or [CodeUnsupportedEncoding]). [Params] and [Struct]
// accessors return a *[Fault] with code [CodeInvalidParams]. A handler may
// return a *[Fault] (possibly wrapped) to send a specific fault; any other
// error is logged and replaced by a generic [CodeApplicationError] fault so
// internal details never reach the client.
package xmlrpc
