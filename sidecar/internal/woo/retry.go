package woo

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// basicLost: a 401 telling the request was anonymous (not "wrong secret").
func basicLost(resp *response) bool {
	var body wooErrorBody
	_ = json.Unmarshal(resp.body, &body)
	return body.Code == "woocommerce_rest_cannot_view" || body.Code == "rest_forbidden" || body.Code == ""
}

// shouldRetry decides whether a read is tried again and after how long.
func (c *Client) shouldRetry(req request, resp *response, err error, attempt int) (time.Duration, bool) {
	if req.write || attempt >= c.cfg.MaxRetries {
		return 0, false
	}
	if err != nil {
		if !transient(err) {
			return 0, false
		}
		return c.retryWait(attempt), true
	}
	if resp.status != http.StatusTooManyRequests && resp.status < 500 {
		return 0, false
	}
	if ra, ok := backoff.RetryAfter(resp.header.Get("Retry-After"), c.cfg.Now()); ok {
		if ra > c.cfg.MaxRetryAfter {
			return 0, false
		}
		// Honour it, plus up to 10 % so concurrent readers spread.
		return backoff.AtLeast(ra, nil), true
	}
	return c.retryWait(attempt), true
}

// retryWait: base × 2^attempt capped at 15s, with equal jitter (half fixed,
// half random).
func (c *Client) retryWait(attempt int) time.Duration {
	return backoff.EqualJitter(backoff.Exponential(c.cfg.RetryBaseDelay, maxBackoff, attempt), nil)
}

// transient reports network failures worth retrying for a read: timeouts,
// resets, dropped connections. Refused connections, DNS and TLS failures
// are not retried (they do not fix themselves within seconds).
func transient(err error) bool {
	if isTLSError(err) {
		return false
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && !dnsErr.IsTimeout {
		return false
	}
	return true
}
