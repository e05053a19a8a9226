package oncloudwine

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// maxRetryAfter caps a Retry-After so a broken server cannot park a call for
// hours; the context still ends any wait sooner.
const maxRetryAfter = 10 * time.Minute

// checkRetry is the client's retryablehttp.CheckRetry: retry 429, 5xx (but
// 501) and network errors; never other 4xx; stop as soon as ctx is done.
// Every call is safe to retry: GETs read, POSTs carry an Idempotency-Key.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if permanentTransportError(err) {
			return false, err
		}
		return true, nil
	}
	return retryableStatus(resp.StatusCode), nil
}

func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || (status >= 500 && status != http.StatusNotImplemented)
}

// permanentTransportError reports errors that a retry cannot fix: a bad
// certificate, a redirect loop, a URL with a scheme net/http cannot speak.
func permanentTransportError(err error) bool {
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	if errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &verify) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		msg := ue.Err.Error()
		return strings.Contains(msg, "stopped after") || strings.Contains(msg, "unsupported protocol scheme")
	}
	return false
}

// retryWait is how long to wait before attempt number attempt+1. A 429 or
// 503 with Retry-After (seconds or an HTTP date) waits exactly that long
// (capped at maxRetryAfter, even above waitMax: the server knows best);
// otherwise exponential from waitMin, capped at waitMax, with equal jitter
// so many sidecars do not retry in step.
func retryWait(waitMin, waitMax time.Duration, attempt int, resp *http.Response, now time.Time, jitter backoff.Rand) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := backoff.RetryAfter(resp.Header.Get("Retry-After"), now); ok {
			return min(d, maxRetryAfter)
		}
	}
	return backoff.EqualJitter(backoff.Exponential(waitMin, waitMax, attempt), jitter)
}
