package woo

import (
	"errors"
	"fmt"
)

// Stable error codes. They are part of the sidecar's API (docs/sidecar-api.md)
// and never change meaning.
const (
	CodeUnauthorized    = "woo_unauthorized"
	CodePlainPermalinks = "woo_plain_permalinks"
	CodeHTTPSRequired   = "woo_https_required"
	CodeVersionTooOld   = "woo_version_too_old"
	CodeReadOnlyKey     = "woo_read_only_key"
	CodeTLS             = "woo_tls"
	CodeUnreachable     = "woo_unreachable"
	CodeRateLimited     = "woo_rate_limited"
	CodeNotFound        = "woo_not_found"
	CodeBadRequest      = "woo_bad_request"
	CodePluginMissing   = "woo_plugin_missing"
	CodeBadResponse     = "woo_bad_response"
	CodeConfig          = "woo_config"
)

// User-facing fixes, exact texts.
const (
	FixUnauthorized    = "API key revoked or wrong. Regenerate in Woo and reconnect."
	FixPlainPermalinks = "Default permalinks block the REST API. Change to \"Post name\" in WordPress settings."
	FixHTTPSRequired   = "Your WordPress site must be served over HTTPS, or set OCW_WOO_ALLOW_HTTP=true to sign requests with OAuth 1.0a."
	FixVersionTooOld   = "Update WooCommerce to 6.0 or newer: the sync needs modified_after (WooCommerce 5.8+) and is tested from 6.0."
	FixReadOnlyKey     = "The API key needs Read/Write permissions: edit it in WooCommerce → Settings → Advanced → REST API, or create a new Read/Write key."
	FixTLS             = "Check the store's TLS certificate: it must not be expired, must be issued for the store's host name and signed by a trusted CA. For a private or self-signed CA, set OCW_WOO_CA_FILE to its PEM file."
	FixUnreachable     = "Check the store URL and that the store is online and reachable from the sidecar (DNS, firewall, proxy)."
	FixRateLimited     = "The store or its host is limiting requests; the sidecar retries later. Lower OCW_WOO_MAX_CONCURRENCY if this keeps happening."
	FixPluginMissing   = "Install and activate the OnCloudWine for WooCommerce plugin."
)

// Error is every failure the client reports. Code is ours and stable; WooCode
// is WooCommerce's own error code when it sent one. errors.As works on every
// error the client returns, and errors.Is matches two *Error by Code, so
// errors.Is(err, woo.ErrUnauthorized) is the idiomatic check.
type Error struct {
	Status  int    // HTTP status, 0 when no answer came
	Code    string // ours, stable (Code* constants)
	WooCode string // WooCommerce's "code", e.g. woocommerce_rest_authentication_error
	Message string // what happened
	Fix     string // what the user should do; may be empty
	Err     error  // underlying cause, if any
}

// Error returns Message + " " + Fix.
func (e *Error) Error() string {
	if e.Fix == "" {
		return e.Message
	}
	return e.Message + " " + e.Fix
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code
}

// Sentinels for errors.Is. Never modified; compare by Code.
var (
	ErrUnauthorized    = &Error{Code: CodeUnauthorized, Message: "WooCommerce rejected the API key.", Fix: FixUnauthorized}
	ErrPlainPermalinks = &Error{Code: CodePlainPermalinks, Message: "The store's REST API at /wp-json/ redirects to itself (plain permalinks).", Fix: FixPlainPermalinks}
	ErrHTTPSRequired   = &Error{Code: CodeHTTPSRequired, Message: "The store URL is plain http://.", Fix: FixHTTPSRequired}
	ErrVersionTooOld   = &Error{Code: CodeVersionTooOld, Message: "WooCommerce is older than 6.0.", Fix: FixVersionTooOld}
	ErrReadOnlyKey     = &Error{Code: CodeReadOnlyKey, Message: "The API key provided does not have write permissions.", Fix: FixReadOnlyKey}
	ErrTLS             = &Error{Code: CodeTLS, Message: "The store's TLS certificate could not be verified.", Fix: FixTLS}
	ErrUnreachable     = &Error{Code: CodeUnreachable, Message: "The store could not be reached.", Fix: FixUnreachable}
	ErrRateLimited     = &Error{Code: CodeRateLimited, Message: "The store is rate limiting requests.", Fix: FixRateLimited}
	ErrNotFound        = &Error{Code: CodeNotFound, Message: "Not found."}
	ErrBadRequest      = &Error{Code: CodeBadRequest, Message: "WooCommerce refused the request."}
	ErrPluginMissing   = &Error{Code: CodePluginMissing, Message: "The OnCloudWine plugin's routes are not available on this store.", Fix: FixPluginMissing}
	ErrBadResponse     = &Error{Code: CodeBadResponse, Message: "WooCommerce sent an answer the sidecar cannot read.", Fix: "Check that the store URL points at the WordPress site, not at a proxy or a login page."}
)

// newError builds an *Error from a sentinel with a more specific message.
func newError(base *Error, status int, wooCode, msg string, cause error) *Error {
	e := &Error{Status: status, Code: base.Code, WooCode: wooCode, Message: base.Message, Fix: base.Fix, Err: cause}
	if msg != "" {
		e.Message = msg
	}
	return e
}

// wooErrorBody is WooCommerce's / WordPress's REST error body.
type wooErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// mapStatus maps a non-2xx WooCommerce answer to an *Error.
func mapStatus(status int, body wooErrorBody, method, what string) *Error {
	detail := fmt.Sprintf("%s %s: WooCommerce answered %d", method, what, status)
	if body.Code != "" {
		detail += " " + body.Code
	}
	if body.Message != "" {
		detail += " (" + body.Message + ")"
	}
	detail += "."
	switch {
	case status == 401 && body.Message == ErrReadOnlyKey.Message:
		return newError(ErrReadOnlyKey, status, body.Code, detail, nil)
	case status == 401, status == 403,
		body.Code == "woocommerce_rest_authentication_error",
		body.Code == "woocommerce_rest_cannot_view":
		return newError(ErrUnauthorized, status, body.Code, detail, nil)
	case status == 429:
		return newError(ErrRateLimited, status, body.Code, detail, nil)
	case status == 404:
		return newError(ErrNotFound, status, body.Code, detail, nil)
	case status >= 500:
		return newError(ErrUnreachable, status, body.Code, detail, nil)
	case status >= 300 && status < 400:
		return newError(ErrBadResponse, status, body.Code, detail+" (unexpected redirect)", nil)
	default:
		return newError(ErrBadRequest, status, body.Code, detail, nil)
	}
}
