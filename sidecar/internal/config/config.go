// Package config loads the sidecar's settings from OCW_* environment
// variables (envconfig) and validates them with messages that name the
// variable and the fix.
package config

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"
)

// Customer mappings for mirrored release orders.
const (
	MappingCreate = "create"
	MappingSingle = "single"
)

// Config is the sidecar's configuration. Field tags give the OCW_ names.
type Config struct {
	ListenAddr          string        `envconfig:"LISTEN_ADDR" default:"127.0.0.1:8787"`
	DataDir             string        `envconfig:"DATA_DIR" default:"./data"`
	SharedSecret        string        `envconfig:"SHARED_SECRET"`
	WooURL              string        `envconfig:"WOO_URL"`
	WooConsumerKey      string        `envconfig:"WOO_CONSUMER_KEY"`
	WooConsumerSecret   string        `envconfig:"WOO_CONSUMER_SECRET"`
	WooCAFile           string        `envconfig:"WOO_CA_FILE"`
	WooAllowHTTP        bool          `envconfig:"WOO_ALLOW_HTTP" default:"false"`
	WooMaxConcurrency   int           `envconfig:"WOO_MAX_CONCURRENCY" default:"4"`
	WooTimeout          time.Duration `envconfig:"WOO_TIMEOUT" default:"30s"`
	WooRecheckInterval  time.Duration `envconfig:"WOO_RECHECK_INTERVAL" default:"1m"`
	APIURL              string        `envconfig:"API_URL"`
	APIToken            string        `envconfig:"API_TOKEN"`
	StockSyncInterval   time.Duration `envconfig:"STOCK_SYNC_INTERVAL" default:"10m"`
	ReconcileInterval   time.Duration `envconfig:"RECONCILE_INTERVAL" default:"5m"`
	ReleasePollInterval time.Duration `envconfig:"RELEASE_POLL_INTERVAL" default:"1m"`
	MirrorReleaseOrders bool          `envconfig:"MIRROR_RELEASE_ORDERS" default:"false"`
	CustomerMapping     string        `envconfig:"CUSTOMER_MAPPING" default:"create"`
	LogLevel            string        `envconfig:"LOG_LEVEL" default:"info"`
	LogFormat           string        `envconfig:"LOG_FORMAT" default:"json"`
}

// MinSecretLen is the shortest accepted OCW_SHARED_SECRET.
const MinSecretLen = 32

// Error is a configuration problem: the variable, what is wrong and the fix.
type Error struct {
	Var, Problem, Fix string
}

func (e *Error) Error() string {
	return fmt.Sprintf("config: %s %s: %s", e.Var, e.Problem, e.Fix)
}

// Load reads the environment. It does not validate: call Validate (or
// ValidateServe) for the subcommand at hand.
func Load() (Config, error) {
	var c Config
	if err := envconfig.Process("OCW", &c); err != nil {
		var pe *envconfig.ParseError
		if errors.As(err, &pe) {
			return c, &Error{Var: pe.KeyName, Problem: fmt.Sprintf("has an unreadable value %q", pe.Value),
				Fix: "use the form shown in the README (durations like 10m, booleans true/false)"}
		}
		return c, fmt.Errorf("config.Load: %w", err)
	}
	return c, nil
}

// Validate checks everything that does not depend on the subcommand.
func (c Config) Validate() error {
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil || !validPort(port) {
		return &Error{Var: "OCW_LISTEN_ADDR", Problem: fmt.Sprintf("is not host:port (%q)", c.ListenAddr), Fix: "set it like 127.0.0.1:8787 (a port from 1 to 65535)"}
	}
	if c.StockSyncInterval < 5*time.Minute || c.StockSyncInterval > 15*time.Minute {
		return &Error{Var: "OCW_STOCK_SYNC_INTERVAL", Problem: fmt.Sprintf("is %s, outside 5m–15m", c.StockSyncInterval), Fix: "set a value between 5m and 15m (default 10m)"}
	}
	if c.ReconcileInterval < 10*time.Second {
		return &Error{Var: "OCW_RECONCILE_INTERVAL", Problem: fmt.Sprintf("is %s", c.ReconcileInterval), Fix: "set 10s or more (default 5m)"}
	}
	if c.WooTimeout != 0 && (c.WooTimeout < time.Second || c.WooTimeout > 5*time.Minute) {
		return &Error{Var: "OCW_WOO_TIMEOUT", Problem: fmt.Sprintf("is %s", c.WooTimeout), Fix: "set a duration from 1s to 5m (default 30s)"}
	}
	if c.WooRecheckInterval < time.Second || c.WooRecheckInterval > 10*time.Minute {
		return &Error{Var: "OCW_WOO_RECHECK_INTERVAL", Problem: fmt.Sprintf("is %s, outside 1s–10m", c.WooRecheckInterval), Fix: "set 1s to 10m (default 1m; re-checks back off to every 10m)"}
	}
	if c.ReleasePollInterval < time.Second {
		return &Error{Var: "OCW_RELEASE_POLL_INTERVAL", Problem: fmt.Sprintf("is %s", c.ReleasePollInterval), Fix: "set 1s or more (default 1m)"}
	}
	if c.WooMaxConcurrency < 1 || c.WooMaxConcurrency > 32 {
		return &Error{Var: "OCW_WOO_MAX_CONCURRENCY", Problem: fmt.Sprintf("is %d", c.WooMaxConcurrency), Fix: "set 1 to 32 (default 4; a live store has few PHP workers)"}
	}
	if c.WooURL != "" {
		if err := checkURL("OCW_WOO_URL", c.WooURL); err != nil {
			return err
		}
		if strings.HasPrefix(c.WooURL, "http://") && !c.WooAllowHTTP {
			return &Error{Var: "OCW_WOO_URL", Problem: "is plain http", Fix: "Your WordPress site must be served over HTTPS, or set OCW_WOO_ALLOW_HTTP=true to sign requests with OAuth 1.0a"}
		}
	}
	if (c.WooConsumerKey == "") != (c.WooConsumerSecret == "") {
		return &Error{Var: "OCW_WOO_CONSUMER_KEY/OCW_WOO_CONSUMER_SECRET", Problem: "only one of the pair is set", Fix: "set both, or neither and connect through POST /v1/connection"}
	}
	if c.APIURL != "" {
		if err := checkURL("OCW_API_URL", c.APIURL); err != nil {
			return err
		}
	}
	if (c.APIURL == "") != (c.APIToken == "") {
		return &Error{Var: "OCW_API_URL/OCW_API_TOKEN", Problem: "only one of the pair is set", Fix: "set both to sync into OnCloudWine, or neither (webhooks are then only stored)"}
	}
	if c.CustomerMapping != MappingCreate && c.CustomerMapping != MappingSingle {
		return &Error{Var: "OCW_CUSTOMER_MAPPING", Problem: fmt.Sprintf("is %q", c.CustomerMapping), Fix: "set create or single"}
	}
	if _, err := ParseLevel(c.LogLevel); err != nil {
		return &Error{Var: "OCW_LOG_LEVEL", Problem: fmt.Sprintf("is %q", c.LogLevel), Fix: "set debug, info, warn or error"}
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return &Error{Var: "OCW_LOG_FORMAT", Problem: fmt.Sprintf("is %q", c.LogFormat), Fix: "set json or text"}
	}
	return nil
}

// ValidateServe adds what `serve` needs: the shared secret.
func (c Config) ValidateServe() error {
	if err := c.Validate(); err != nil {
		return err
	}
	switch n := len(c.SharedSecret); {
	case n == 0:
		return &Error{Var: "OCW_SHARED_SECRET", Problem: "is not set", Fix: "set a random value of at least 32 characters (e.g. openssl rand -hex 32) and put the same value in the plugin's settings"}
	case n < MinSecretLen:
		return &Error{Var: "OCW_SHARED_SECRET", Problem: fmt.Sprintf("is %d characters", n), Fix: "use at least 32 characters (e.g. openssl rand -hex 32)"}
	}
	return c.checkCAFile()
}

// checkCAFile reads OCW_WOO_CA_FILE, so that a wrong path fails at start
// instead of at the first connection test.
func (c Config) checkCAFile() error {
	if c.WooCAFile == "" {
		return nil
	}
	pem, err := os.ReadFile(c.WooCAFile)
	if err != nil {
		return &Error{Var: "OCW_WOO_CA_FILE", Problem: fmt.Sprintf("cannot be read (%v)", err), Fix: "set it to the PEM file of the CA that signed the store's certificate, readable by this user, or unset it"}
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return &Error{Var: "OCW_WOO_CA_FILE", Problem: fmt.Sprintf("%s holds no PEM certificate", c.WooCAFile), Fix: "set it to the CA certificate in PEM form (-----BEGIN CERTIFICATE-----), or unset it"}
	}
	return nil
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

func checkURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &Error{Var: name, Problem: fmt.Sprintf("is not an http(s) URL (%q)", raw), Fix: "set it like https://shop.example.com"}
	}
	return nil
}

// ParseLevel maps OCW_LOG_LEVEL to a slog level.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(s))
	return l, err
}

// Redacted is the effective configuration for the start-up log line, with
// secrets replaced.
func (c Config) Redacted() []slog.Attr {
	red := func(s string) string {
		if s == "" {
			return ""
		}
		return "REDACTED"
	}
	return []slog.Attr{
		slog.String("listen_addr", c.ListenAddr), slog.String("data_dir", c.DataDir),
		slog.String("shared_secret", red(c.SharedSecret)), slog.String("woo_url", redactURL(c.WooURL)),
		slog.String("woo_consumer_key", red(c.WooConsumerKey)), slog.String("woo_consumer_secret", red(c.WooConsumerSecret)),
		slog.String("woo_ca_file", c.WooCAFile), slog.Bool("woo_allow_http", c.WooAllowHTTP),
		slog.Int("woo_max_concurrency", c.WooMaxConcurrency), slog.String("woo_timeout", c.WooTimeout.String()), slog.String("woo_recheck_interval", c.WooRecheckInterval.String()),
		slog.String("api_url", redactURL(c.APIURL)), slog.String("api_token", red(c.APIToken)),
		// Durations as written (10m0s): slog's JSON handler prints nanoseconds.
		slog.String("stock_sync_interval", c.StockSyncInterval.String()), slog.String("reconcile_interval", c.ReconcileInterval.String()),
		slog.String("release_poll_interval", c.ReleasePollInterval.String()), slog.Bool("mirror_release_orders", c.MirrorReleaseOrders),
		slog.String("customer_mapping", c.CustomerMapping), slog.String("log_level", c.LogLevel), slog.String("log_format", c.LogFormat),
	}
}

// redactURL hides a password in the URL's user info (a proxy's basic auth).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
