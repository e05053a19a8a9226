package woo

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

func isTLSError(err error) bool {
	var (
		unknownCA  x509.UnknownAuthorityError
		hostname   x509.HostnameError
		invalid    x509.CertificateInvalidError
		verify     *tls.CertificateVerificationError
		recordHdr  tls.RecordHeaderError
		alertError tls.AlertError
	)
	return errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verify) || errors.As(err, &recordHdr) || errors.As(err, &alertError) ||
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") ||
		strings.Contains(err.Error(), "tls: ")
}

// mapTransportError maps a failure without an HTTP answer. The URL is
// dropped from the text: with query-parameter auth it holds the secret.
func mapTransportError(err error, req request) *Error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = &url.Error{Op: uerr.Op, URL: redactURL(uerr.URL), Err: uerr.Err}
		msg := fmt.Sprintf("%s %s: %v.", req.method, req.what(), uerr.Err)
		if isTLSError(err) {
			return newError(ErrTLS, 0, "", msg, err)
		}
		return newError(ErrUnreachable, 0, "", msg, err)
	}
	msg := fmt.Sprintf("%s %s: %v.", req.method, req.what(), err)
	if isTLSError(err) {
		return newError(ErrTLS, 0, "", msg, err)
	}
	return newError(ErrUnreachable, 0, "", msg, err)
}

// redactURL drops the query string (keys, signatures) from a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	u.User = nil
	return u.String()
}
