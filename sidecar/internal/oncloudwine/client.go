package oncloudwine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// Defaults used for zero Config fields.
const (
	DefaultRetryMax     = 5
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
	DefaultTimeout      = 30 * time.Second // per attempt, for the default HTTPClient
	maxResponseBytes    = 16 << 20
	userAgent           = "ocw-woocommerce-sidecar"
)

// Config configures a Client. BaseURL and Token are required.
type Config struct {
	BaseURL string // e.g. https://api.oncloudwine.com (OCW_API_URL)
	Token   string // ock_… (OCW_API_TOKEN)

	HTTPClient *http.Client // nil: a pooled client with DefaultTimeout per attempt
	Logger     *slog.Logger // nil: discard

	RetryMax     int           // retries after the first attempt; 0: DefaultRetryMax, < 0: none
	RetryWaitMin time.Duration // first backoff; 0: DefaultRetryWaitMin
	RetryWaitMax time.Duration // backoff cap (Retry-After may exceed it); 0: DefaultRetryWaitMax

	// Now is the clock used to read Retry-After dates; nil: time.Now.
	Now func() time.Time
	// Sleep waits between attempts and must return ctx.Err() when ctx ends
	// first; nil: a timer. Tests pass a fake to observe waits without sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client calls the OnCloudWine API. It is safe for concurrent use.
type Client struct {
	base     *url.URL
	token    string
	http     *http.Client
	log      *slog.Logger
	retryMax int
	waitMin  time.Duration
	waitMax  time.Duration
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	jitter   backoff.Rand
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("oncloudwine.New: BaseURL is required (OCW_API_URL)")
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("oncloudwine.New: BaseURL: %w", err)
	}
	if (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("oncloudwine.New: BaseURL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if cfg.Token == "" {
		return nil, errors.New("oncloudwine.New: Token is required (OCW_API_TOKEN)")
	}
	c := &Client{
		base:     base,
		token:    cfg.Token,
		http:     cfg.HTTPClient,
		log:      cfg.Logger,
		retryMax: cfg.RetryMax,
		waitMin:  cfg.RetryWaitMin,
		waitMax:  cfg.RetryWaitMax,
		now:      cfg.Now,
		sleep:    cfg.Sleep,
		jitter:   backoff.Uniform,
	}
	if c.http == nil {
		c.http = cleanhttp.DefaultPooledClient()
		c.http.Timeout = DefaultTimeout
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	switch {
	case c.retryMax == 0:
		c.retryMax = DefaultRetryMax
	case c.retryMax < 0:
		c.retryMax = 0
	}
	if c.waitMin <= 0 {
		c.waitMin = DefaultRetryWaitMin
	}
	if c.waitMax <= 0 {
		c.waitMax = DefaultRetryWaitMax
	}
	c.waitMax = max(c.waitMax, c.waitMin)
	if c.now == nil {
		c.now = time.Now
	}
	if c.sleep == nil {
		c.sleep = func(ctx context.Context, d time.Duration) error { return backoff.Sleep(ctx, d, nil) }
	}
	return c, nil
}

// get calls GET path?query and decodes the answer into out.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	return c.do(ctx, http.MethodGet, path, query, nil, out)
}

// post sends body as canonical JSON with its Idempotency-Key and decodes the
// answer into out (nil: discard).
func (c *Client) post(ctx context.Context, path string, body, out any) error {
	return c.do(ctx, http.MethodPost, path, nil, body, out)
}

// do runs one API call with retries. API error answers come back as *Error
// (unwrapped, so err.Error() is the FAILED text); transport failures and
// cancellation are wrapped with the call.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("oncloudwine: %s %s: encode: %w", method, path, err)
		}
	}
	u := c.base.JoinPath(path)
	u.RawQuery = query.Encode()

	var rawBody any // nil interface for GET: retryablehttp must see no body at all
	if payload != nil {
		rawBody = payload
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), rawBody)
	if err != nil {
		return fmt.Errorf("oncloudwine: %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", IdempotencyKey(method, path, payload))
	}

	resp, err := c.retrying(method, path).Do(req)
	if err != nil {
		return fmt.Errorf("oncloudwine: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("oncloudwine: %s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := decodeError(resp.StatusCode, data)
		c.log.WarnContext(ctx, "oncloudwine call failed", slog.String("method", method), slog.String("path", path),
			slog.Int("status", apiErr.Status), slog.String("code", apiErr.Code))
		return apiErr
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(out); err != nil {
		return fmt.Errorf("oncloudwine: %s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// retrying builds the retryablehttp client for one call. retryablehttp runs
// the attempts, rewinds the body, asks checkRetry and logs through slog; the
// wait between attempts is ours: Backoff records it and answers 0, and
// PrepareRetry (called right before the next attempt) waits it out with
// c.sleep on the request's context, so cancellation stops a wait at once and
// tests can observe waits through a fake Sleep.
func (c *Client) retrying(method, path string) *retryablehttp.Client {
	var wait time.Duration
	var lastStatus int
	attempt := 1
	return &retryablehttp.Client{
		HTTPClient:   c.http,
		Logger:       slogLeveled{c.log},
		RetryMax:     c.retryMax,
		RetryWaitMin: c.waitMin,
		RetryWaitMax: c.waitMax,
		CheckRetry:   checkRetry,
		Backoff: func(waitMin, waitMax time.Duration, n int, resp *http.Response) time.Duration {
			wait = retryWait(waitMin, waitMax, n, resp, c.now(), c.jitter)
			lastStatus = 0
			if resp != nil {
				lastStatus = resp.StatusCode
			}
			return 0
		},
		PrepareRetry: func(req *http.Request) error {
			attempt++
			c.log.InfoContext(req.Context(), "retrying oncloudwine call", slog.String("method", method),
				slog.String("path", path), slog.Int("status", lastStatus), slog.Duration("wait", wait),
				slog.Int("attempt", attempt))
			return c.sleep(req.Context(), wait)
		},
		ErrorHandler: func(resp *http.Response, err error, attempts int) (*http.Response, error) {
			if err == nil && resp != nil {
				return resp, nil // retries used up on a 429/5xx: hand back the answer to decode
			}
			if resp != nil {
				resp.Body.Close()
			}
			if err == nil {
				err = errors.New("no answer")
			}
			return nil, fmt.Errorf("giving up after %d attempt(s): %w", attempts, err)
		},
	}
}
