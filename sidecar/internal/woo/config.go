package woo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// Config configures a Client. StoreURL and the key are required.
type Config struct {
	StoreURL                    string
	ConsumerKey, ConsumerSecret string
	CAFile                      string         // extra PEM CA (OCW_WOO_CA_FILE); TLS verification is never off
	RootCAs                     *x509.CertPool // tests: replaces the system pool (CAFile is added to it)
	AllowHTTP                   bool           // OCW_WOO_ALLOW_HTTP: plain-http store, requests signed with OAuth 1.0a
	MaxConcurrency              int            // requests in flight, default 4 (OCW_WOO_MAX_CONCURRENCY)
	Timeout                     time.Duration  // per attempt, default 30s
	Logger                      *slog.Logger

	// OAuthSignatureMethod is HMAC-SHA256 (default) or HMAC-SHA1.
	OAuthSignatureMethod string
	// MaxRetries of a read after the first attempt (default 4; -1 = none).
	MaxRetries int
	// RetryBaseDelay is the first backoff step (default 500ms), doubled per
	// retry up to 15s, with jitter.
	RetryBaseDelay time.Duration
	// MaxRetryAfter: a Retry-After longer than this is not waited for; the
	// read fails with woo_rate_limited instead (default 2m).
	MaxRetryAfter time.Duration
	// Now is the clock (OAuth timestamps, Retry-After dates); default time.Now.
	Now func() time.Time
	// Sleep waits between retries; default a timer that honours ctx.
	// Tests pass a fake that records the waits.
	Sleep func(ctx context.Context, d time.Duration) error
	// Transport replaces the HTTP transport (tests); TLS settings above are
	// then not applied.
	Transport http.RoundTripper
	// RateLimit caps requests per second across the client, retries
	// included (0 = no cap). Burst is MaxConcurrency.
	RateLimit float64
}

const (
	defaultConcurrency   = 4
	defaultTimeout       = 30 * time.Second
	defaultMaxRetries    = 4
	defaultRetryBase     = 500 * time.Millisecond
	maxBackoff           = 15 * time.Second
	defaultMaxRetryAfter = 2 * time.Minute
)

func (cfg *Config) applyDefaults() {
	if cfg.MaxConcurrency <= 0 {
		cfg.MaxConcurrency = defaultConcurrency
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.OAuthSignatureMethod == "" {
		cfg.OAuthSignatureMethod = "HMAC-SHA256"
	}
	switch {
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = defaultMaxRetries
	}
	if cfg.RetryBaseDelay <= 0 {
		cfg.RetryBaseDelay = defaultRetryBase
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = defaultMaxRetryAfter
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = func(ctx context.Context, d time.Duration) error { return backoff.Sleep(ctx, d, nil) }
	}
}

// parseStoreURL validates the store URL and the scheme rule.
func (cfg *Config) parseStoreURL() (*url.URL, error) {
	raw := strings.TrimSpace(cfg.StoreURL)
	if raw == "" {
		return nil, &Error{Code: CodeConfig, Message: "The store URL is empty.", Fix: "Set OCW_WOO_URL to the store's address, e.g. https://shop.example.com."}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, &Error{Code: CodeConfig, Message: fmt.Sprintf("The store URL %q is not an http(s) address.", raw), Fix: "Set OCW_WOO_URL to the store's address, e.g. https://shop.example.com.", Err: err}
	}
	if u.Scheme == "http" && !cfg.AllowHTTP {
		return nil, newError(ErrHTTPSRequired, 0, "", fmt.Sprintf("The store URL %s is plain http://.", u.Redacted()), nil)
	}
	if cfg.ConsumerKey == "" || cfg.ConsumerSecret == "" {
		return nil, &Error{Code: CodeConfig, Message: "The WooCommerce API key is missing.", Fix: "Set OCW_WOO_CONSUMER_KEY and OCW_WOO_CONSUMER_SECRET, or connect the store from the plugin."}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u, nil
}

// tlsConfig builds the TLS settings: system roots (or RootCAs) plus CAFile.
func (cfg *Config) tlsConfig() (*tls.Config, error) {
	pool := cfg.RootCAs
	if pool == nil {
		sys, err := x509.SystemCertPool()
		if err != nil || sys == nil {
			sys = x509.NewCertPool()
		}
		pool = sys
	} else {
		pool = pool.Clone()
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, newError(ErrTLS, 0, "", fmt.Sprintf("OCW_WOO_CA_FILE %s cannot be read.", cfg.CAFile), err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, newError(ErrTLS, 0, "", fmt.Sprintf("OCW_WOO_CA_FILE %s holds no PEM certificate.", cfg.CAFile), nil)
		}
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}
