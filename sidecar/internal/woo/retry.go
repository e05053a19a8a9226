package woo

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
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
		return c.backoff(attempt), true
	}
	if resp.status != http.StatusTooManyRequests && resp.status < 500 {
		return 0, false
	}
	if ra, ok := retryAfter(resp.header, c.cfg.Now()); ok {
		if ra > c.cfg.MaxRetryAfter {
			return 0, false
		}
		// Honour it, plus up to 10 % jitter so concurrent readers spread.
		return ra + time.Duration(rand.Int64N(int64(ra/10)+1)), true
	}
	return c.backoff(attempt), true
}

// backoff: base × 2^attempt capped at 15s, "equal jitter" (half fixed, half random).
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryBaseDelay << min(attempt, 16)
	if d > maxBackoff || d <= 0 {
		d = maxBackoff
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// retryAfter parses Retry-After: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
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
