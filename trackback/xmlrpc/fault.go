package xmlrpc

import "fmt"

// Fault codes used by this package. They follow the "Specification for Fault
// Code Interoperability" adopted by most XML-RPC servers, WordPress included.
// Handlers may use any other code (WordPress uses HTTP-like codes such as 401,
// 403 and 404; Pingback defines 0x0010 to 0x0032).
const (
	// CodeParseError reports a request that is not well-formed XML or not a
	// valid XML-RPC document.
	CodeParseError = -32700
	// CodeUnsupportedEncoding reports a request in a character encoding
	// this package does not understand.
	CodeUnsupportedEncoding = -32701
	// CodeMethodNotFound reports a call to a method that is not registered.
	CodeMethodNotFound = -32601
	// CodeInvalidParams reports a missing parameter or one of the wrong type.
	CodeInvalidParams = -32602
	// CodeApplicationError reports a failure inside a handler; the message
	// sent with it is always the generic "internal error".
	CodeApplicationError = -32500
)

// Fault is an XML-RPC fault: the error half of a methodResponse.
//
// A *Fault returned by a handler is sent to the client as is. A *Fault
// returned by [Call] or [DecodeResponse] is the fault the server sent.
type Fault struct {
	Code    int
	Message string
}

// Error implements the error interface.
func (f *Fault) Error() string {
	if f == nil {
		return "xmlrpc: nil fault"
	}
	return fmt.Sprintf("xmlrpc: fault %d: %s", f.Code, f.Message)
}

// internalFault is the fault sent for handler errors that are not faults
// and for panics. Its message deliberately says nothing about the cause.
func internalFault() *Fault {
	return &Fault{Code: CodeApplicationError, Message: "internal error"}
}
