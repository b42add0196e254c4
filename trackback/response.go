package trackback

import (
	"net/http"
	"strconv"
)

// XMLContentType is the Content-Type of every TrackBack reply, including
// the WriteRSS listing.
const XMLContentType = "text/xml; charset=utf-8"

// The reply layout of the TrackBack specification, section "Sending a
// TrackBack Ping".
const (
	xmlDecl         = `<?xml version="1.0" encoding="utf-8"?>` + "\n"
	successResponse = xmlDecl + "<response>\n<error>0</error>\n</response>\n"
)

// ResponseBody returns the TrackBack reply document. When failed is false
// it is the success reply and message is ignored:
//
//	<?xml version="1.0" encoding="utf-8"?>
//	<response>
//	<error>0</error>
//	</response>
//
// When failed is true it is the error reply, with message XML-escaped:
//
//	<?xml version="1.0" encoding="utf-8"?>
//	<response>
//	<error>1</error>
//	<message>The error message</message>
//	</response>
func ResponseBody(message string, failed bool) []byte {
	if !failed {
		return []byte(successResponse)
	}
	return []byte(xmlDecl + "<response>\n<error>1</error>\n<message>" +
		xmlEscape(message) + "</message>\n</response>\n")
}

// WriteSuccess writes the success reply with status 200.
func WriteSuccess(w http.ResponseWriter) {
	writeResponse(w, http.StatusOK, ResponseBody("", false))
}

// WriteError writes the error reply carrying message (escaped here) with
// the given HTTP status; 0 means 200, which is what TrackBack clients
// expect for a refused ping. ErrorMessage turns an error into a message.
func WriteError(w http.ResponseWriter, status int, message string) {
	if status == 0 {
		status = http.StatusOK
	}
	writeResponse(w, status, ResponseBody(message, true))
}

func writeResponse(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", XMLContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client went away: nothing to do
}
