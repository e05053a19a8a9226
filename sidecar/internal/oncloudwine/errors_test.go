package oncloudwine

import (
	"errors"
	"fmt"
	"testing"
)

func TestDecodeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		want   Error
		text   string
	}{
		{"documented shape", 422, `{"error":{"code":"idempotency_key_reused","message":"Key was already used"}}`,
			Error{422, "idempotency_key_reused", "Key was already used"}, "OnCloudWine said: Key was already used (idempotency_key_reused)"},
		{"code without message", 404, `{"error":{"code":"not_found"}}`,
			Error{404, "not_found", "Not Found"}, "OnCloudWine said: Not Found (not_found)"},
		{"html from a proxy", 502, `<html>Bad gateway</html>`,
			Error{502, "http_502", "HTTP 502 Bad Gateway: <html>Bad gateway</html>"}, "OnCloudWine said: HTTP 502 Bad Gateway: <html>Bad gateway</html> (http_502)"},
		{"empty body", 500, ``,
			Error{500, "http_500", "HTTP 500 Internal Server Error"}, "OnCloudWine said: HTTP 500 Internal Server Error (http_500)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := decodeError(tt.status, []byte(tt.body))
			if *got != tt.want {
				t.Fatalf("decodeError = %+v, want %+v", *got, tt.want)
			}
			if got.Error() != tt.text {
				t.Fatalf("Error() = %q, want %q", got.Error(), tt.text)
			}
		})
	}
}

func TestBatchErrorKeepsTypedError(t *testing.T) {
	t.Parallel()
	base := &Error{Status: 400, Code: "invalid_field", Message: "bad"}
	if err := batchError(base, 0, 100); err != error(base) {
		t.Fatalf("single request: got %v, want the *Error itself", err)
	}
	err := batchError(base, 1, 250)
	var e *Error
	if !errors.As(err, &e) || e != base {
		t.Fatalf("errors.As lost the *Error: %v", err)
	}
	if want := fmt.Sprintf("batch 2 (items 101–200 of 250): %s", base); err.Error() != want {
		t.Fatalf("text = %q, want %q", err.Error(), want)
	}
}
