package oncloudwine

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Error is an error answer of the OnCloudWine API: the HTTP status and the
// body {"error": {"code", "message"}}. Its Error() is the text a FAILED item
// shows to the store's admin.
type Error struct {
	Status  int
	Code    string
	Message string
}

// Error returns "OnCloudWine said: <message> (<code>)".
func (e *Error) Error() string {
	return fmt.Sprintf("OnCloudWine said: %s (%s)", e.Message, e.Code)
}

// Temporary reports whether the same request may succeed later (429 or 5xx).
func (e *Error) Temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// IsUnauthorized reports whether err is OnCloudWine refusing the API token
// (401: wrong, or revoked).
func IsUnauthorized(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusUnauthorized
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// decodeError builds an *Error from a non-2xx answer. A body that is not the
// documented shape still gives a useful message (status text and the start
// of the body).
func decodeError(status int, body []byte) *Error {
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil && eb.Error.Code != "" {
		msg := eb.Error.Message
		if msg == "" {
			msg = http.StatusText(status)
		}
		return &Error{Status: status, Code: eb.Error.Code, Message: msg}
	}
	msg := fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	if snippet := strings.TrimSpace(truncate(string(body), 200)); snippet != "" {
		msg += ": " + snippet
	}
	return &Error{Status: status, Code: fmt.Sprintf("http_%d", status), Message: msg}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	return s + "…"
}
