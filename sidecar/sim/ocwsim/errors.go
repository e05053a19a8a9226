package ocwsim

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is an error answer: {"error": {"code", "message"}} with a status.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func errorJSON(e *apiError) []byte {
	b, _ := json.Marshal(errorBody{Error: errorDetail{Code: e.code, Message: e.message}})
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	_, _ = w.Write([]byte("\n"))
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, errorJSON(e))
}

func writeValue(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, errorf(http.StatusInternalServerError, "internal_error", "encode answer: %v", err))
		return
	}
	writeJSON(w, status, b)
}
