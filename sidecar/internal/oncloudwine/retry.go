package oncloudwine

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
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

// backoff is how long to wait before attempt number attempt+1. A 429 or 503
// with Retry-After (seconds or an HTTP date) waits exactly that long (capped
// at maxRetryAfter, even above waitMax: the server knows best); otherwise
// exponential from waitMin, capped at waitMax, with "equal jitter" (half
// fixed, half random) so many sidecars do not retry in step.
func backoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response, now time.Time, jitter func(time.Duration) time.Duration) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			return min(d, maxRetryAfter)
		}
	}
	d := waitMin
	for i := 0; i < attempt && d < waitMax; i++ {
		d *= 2
	}
	d = min(d, waitMax)
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + jitter(d-half)
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// randomJitter returns a uniformly random duration in [0, d].
func randomJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// sleepContext waits d, or until ctx is done (then it returns ctx.Err()).
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
