package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
)

// APIError is the one error shape every route answers with:
// {"error": {"code", "message", "fix"}}.
type APIError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func apiErr(status int, code, message, fix string) *APIError {
	return &APIError{Status: status, Code: code, Message: message, Fix: fix}
}

type errorBody struct {
	Error *APIError `json:"error"`
}

// errorHandler writes every error as the JSON shape, logging 5xx as errors
// and 4xx as warnings.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		var ae *APIError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &ae):
		case errors.As(err, &he):
			ae = fromEchoError(he)
		default:
			ae = apiErr(http.StatusInternalServerError, "internal", "The sidecar failed to handle the request.", "See the sidecar's log; retry later.")
		}
		attrs := []any{slog.String("method", c.Request().Method), slog.String("path", c.Path()), slog.Int("status", ae.Status), slog.String("code", ae.Code)}
		if ae.Status >= 500 {
			log.Error("request failed", append(attrs, slog.Any("err", err))...)
		} else {
			log.Warn("request refused", append(attrs, slog.String("message", ae.Message))...)
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(ae.Status)
			return
		}
		_ = c.JSON(ae.Status, errorBody{Error: ae})
	}
}

func fromEchoError(he *echo.HTTPError) *APIError {
	switch he.Code {
	case http.StatusNotFound:
		return apiErr(he.Code, "not_found", "No such route.", "See the README for the sidecar's routes.")
	case http.StatusMethodNotAllowed:
		return apiErr(he.Code, "method_not_allowed", "This route does not take that method.", "See the README for the sidecar's routes.")
	case http.StatusRequestEntityTooLarge:
		return apiErr(he.Code, "too_large", "The request body is too large.", "")
	case http.StatusUnauthorized:
		return unauthorized()
	}
	msg := http.StatusText(he.Code)
	if m, ok := he.Message.(string); ok {
		msg = m
	}
	return apiErr(he.Code, "http_error", msg, "")
}

func unauthorized() *APIError {
	return apiErr(http.StatusUnauthorized, "unauthorized", "Missing or wrong bearer token.",
		"Send Authorization: Bearer <OCW_SHARED_SECRET> (the shared secret set in the plugin).")
}
