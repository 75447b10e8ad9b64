package vote

import (
	"errors"
	"fmt"
	"net/http"
)

// Code classifies an error for the client. The handler turns a code into an
// HTTP status in one place, Status; stores and the manifest only pick codes.
type Code string

const (
	Invalid   Code = "invalid"      // malformed request or fields
	NotFound  Code = "not_found"    // unknown contest or entry
	Forbidden Code = "forbidden"    // window closed, foreign origin, bad cookie, failed challenge
	Conflict  Code = "conflict"     // already voted for the entry, or no votes left
	TooLarge  Code = "too_large"    // request body over the limit
	TooMany   Code = "rate_limited" // too many requests from one client
	Internal  Code = "internal"     // anything else; details are logged, not shown
)

// The refusals stores share, so that every store words them alike.
var (
	ErrNetworkQuota = Errorf(TooMany, "too many votes from your network in this contest today; try again tomorrow")
	ErrProofUsed    = Errorf(Forbidden, "this challenge was already used for a vote; vote again")
)

// Error is an error with a code and a message fit for the voter.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("vote: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, or Internal for any other non-nil error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the message of the first *Error in err's chain, and a
// generic one for other errors, whose text may reveal internals.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Status maps a code to its HTTP status. It is the only place that does.
func Status(c Code) int {
	switch c {
	case Invalid:
		return http.StatusBadRequest
	case NotFound:
		return http.StatusNotFound
	case Forbidden:
		return http.StatusForbidden
	case Conflict:
		return http.StatusConflict
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case TooMany:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}
