// Package connection runs the WooCommerce connection test — at start-up and
// for POST /v1/connection — and records its outcome: the connection status
// users see (ACTIVE only after the store really answered), an activity line,
// the client the engine uses from then on, and a report to OnCloudWine.
package connection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// Reporter tells OnCloudWine about the connection (nil: not configured).
type Reporter interface {
	ReportConnection(ctx context.Context, conn oncloudwine.Connection) error
}

// ClientSetter receives the client that passed the test (the engine's WooSwitch).
type ClientSetter interface {
	Set(c *woo.Client)
}

// Checker tests credentials against the store. The last good connection
// stays in force until a new one passes its test: a failed POST
// /v1/connection is recorded as the connection's last_attempt and changes
// nothing else. A connection in ERROR (the store went down, the key was
// revoked, the start-up check failed) is tested again by Supervise with
// backoff.
type Checker struct {
	Store    *store.Store
	Clients  ClientSetter
	Reporter Reporter
	// Base carries the operator's client settings (CA file, plain-HTTP
	// opt-in, concurrency, logger); the URL and key come per check.
	Base woo.Config
	Log  *slog.Logger
	Now  func() time.Time
	// After returns a channel that fires after d on the checker's clock
	// (nil: time.After); tests drive a fake one.
	After backoff.After
	// RecheckMin and RecheckMax bound the delay between two tests of a
	// connection in ERROR (defaults 1m and 10m).
	RecheckMin, RecheckMax time.Duration

	mu      sync.Mutex // one test at a time
	once    sync.Once
	changed chan struct{} // a Connect replaced the connection
	trouble chan struct{} // the engine saw WooCommerce fail
}

// checkTimeout bounds one connection test.
const checkTimeout = 60 * time.Second

// Default re-check bounds: about every minute at first, at most every 10.
const (
	defaultRecheckMin = time.Minute
	defaultRecheckMax = 10 * time.Minute
)

func (c *Checker) init() {
	c.once.Do(func() {
		c.changed = make(chan struct{}, 1)
		c.trouble = make(chan struct{}, 1)
		if c.RecheckMin <= 0 {
			c.RecheckMin = defaultRecheckMin
		}
		if c.RecheckMax < c.RecheckMin {
			c.RecheckMax = max(defaultRecheckMax, c.RecheckMin)
		}
		if c.Now == nil {
			c.Now = time.Now
		}
		if c.Log == nil {
			c.Log = slog.New(slog.DiscardHandler)
		}
	})
}

func (c *Checker) after(d time.Duration) <-chan time.Time {
	if c.After != nil {
		return c.After(d)
	}
	return time.After(d)
}

// Connect is the admin API's POST /v1/connection: it tests new credentials.
// When they pass they become the connection in force; when they fail, the
// attempt is recorded (last_attempt) and the connection in force, its
// client and its stored credentials stay as they were. The returned
// Connection is the attempt's (ERROR with LastError when it failed). The
// test runs to its end even when the caller stops waiting (the plugin's
// request times out, the admin closes the tab).
func (c *Checker) Connect(ctx context.Context, req httpapi.ConnectRequest) (store.Connection, error) {
	c.init()
	ctx = context.WithoutCancel(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	conn, client := c.test(ctx, strings.TrimRight(strings.TrimSpace(req.StoreURL), "/"), req.ConsumerKey, req.ConsumerSecret)
	if conn.Status == store.ConnActive {
		err := c.adopt(ctx, conn, client)
		c.signal(c.changed)
		return conn, err
	}
	prev, err := c.Store.Connection()
	if err != nil {
		return conn, fmt.Errorf("connection.Connect: %w", err)
	}
	prev.LastAttempt = &store.ConnAttempt{At: *conn.CheckedAt, StoreURL: conn.StoreURL, Code: conn.LastError.Code, Error: conn.LastError.Message, Fix: conn.LastError.Fix}
	if err := c.Store.PutConnection(prev); err != nil {
		return conn, fmt.Errorf("connection.Connect: record: %w", err)
	}
	kept := "No connection was in force."
	if prev.StoreURL != "" {
		kept = fmt.Sprintf("The connection in force (%s, %s) is kept.", prev.StoreURL, prev.Status)
	}
	c.activity("error", fmt.Sprintf("Connection attempt to %s failed: %s %s %s", conn.StoreURL, conn.LastError.Message, conn.LastError.Fix, kept))
	c.Log.WarnContext(ctx, "woocommerce connection attempt failed", slog.String("store_url", conn.StoreURL),
		slog.String("code", conn.LastError.Code), slog.String("message", conn.LastError.Message))
	return conn, nil
}

// Check tests the credentials in force (the environment's, or the stored
// ones) and records the outcome as the connection: ACTIVE with a new client,
// or ERROR with LastError — the credentials and what the store told before
// (currency, weight unit) are kept, and Supervise tests again later. The
// returned error is only for failures to record.
func (c *Checker) Check(ctx context.Context, storeURL, key, secret string) (store.Connection, error) {
	c.init()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.checkInForce(ctx, storeURL, key, secret, c.RecheckMin)
}

func (c *Checker) checkInForce(ctx context.Context, storeURL, key, secret string, next time.Duration) (store.Connection, error) {
	conn, client := c.test(ctx, storeURL, key, secret)
	prev, err := c.Store.Connection()
	if err != nil {
		if client != nil {
			client.Close()
		}
		return conn, fmt.Errorf("connection.Check: %w", err)
	}
	conn.LastAttempt = prev.LastAttempt // a failed Connect stays shown until a new one passes
	if conn.Status == store.ConnActive {
		return conn, c.adopt(ctx, conn, client)
	}
	if prev.StoreURL == storeURL && prev.ConsumerKey == key {
		// Keep what the store told when it last answered.
		conn.WCVersion, conn.AuthMethod, conn.PluginRoutes = prev.WCVersion, prev.AuthMethod, prev.PluginRoutes
		conn.Currency, conn.WeightUnit, conn.Warning = prev.Currency, prev.WeightUnit, prev.Warning
	}
	nextAt := conn.CheckedAt.Add(next)
	conn.NextCheckAt = &nextAt
	if err := c.Store.PutConnection(conn); err != nil {
		return conn, fmt.Errorf("connection.Check: record: %w", err)
	}
	c.logOutcome(ctx, conn)
	c.report(ctx, conn)
	return conn, nil
}

// test runs the connection test; the client is returned only when it passed.
func (c *Checker) test(ctx context.Context, storeURL, key, secret string) (store.Connection, *woo.Client) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	now := c.Now().UTC()
	conn := store.Connection{StoreURL: storeURL, CheckedAt: &now, ConsumerKey: key, ConsumerSecret: secret}
	cfg := c.Base
	cfg.StoreURL, cfg.ConsumerKey, cfg.ConsumerSecret = storeURL, key, secret
	client, err := woo.New(cfg)
	var info woo.StoreInfo
	if err == nil {
		info, err = client.CheckConnection(ctx)
	}
	conn.WCVersion, conn.AuthMethod, conn.PluginRoutes = info.WCVersion, info.AuthMethod, info.PluginRoutes
	conn.Currency, conn.WeightUnit = info.Currency, info.WeightUnit
	if err != nil {
		if client != nil {
			client.Close()
		}
		conn.Status = store.ConnError
		conn.LastError = userError(err)
		return conn, nil
	}
	conn.Status = store.ConnActive
	if info.PlainPermalinks {
		conn.Warning = userError(woo.ErrPlainPermalinks)
	}
	return conn, client
}

// adopt makes a connection that passed its test the one in force.
func (c *Checker) adopt(ctx context.Context, conn store.Connection, client *woo.Client) error {
	if err := c.Store.PutConnection(conn); err != nil {
		client.Close()
		return fmt.Errorf("connection: record: %w", err)
	}
	c.logOutcome(ctx, conn)
	c.Clients.Set(client)
	c.report(ctx, conn)
	return nil
}

// Startup tests the connection in force when the sidecar starts: the
// environment's key when set, else the one an admin connected with before.
// When it fails, Supervise tests it again with backoff.
func (c *Checker) Startup(ctx context.Context, envURL, envKey, envSecret string) {
	c.init()
	url, key, secret := envURL, envKey, envSecret
	if url == "" || key == "" {
		prev, err := c.Store.Connection()
		if err != nil || prev.ConsumerKey == "" {
			c.Log.Info("no WooCommerce store connected yet; connect from the plugin or set OCW_WOO_URL and the key")
			return
		}
		url, key, secret = prev.StoreURL, prev.ConsumerKey, prev.ConsumerSecret
	}
	if _, err := c.Check(ctx, url, key, secret); err != nil && ctx.Err() == nil {
		c.Log.Error("connection check at start-up", slog.Any("err", err))
	}
}

// Trouble tells the checker that WooCommerce failed the engine in a way a
// connection test would see (no answer, TLS, 401/403, 5xx). An ACTIVE
// connection not tested in the last RecheckMin is tested now; a connection
// already in ERROR is being re-tested anyway. It never blocks.
func (c *Checker) Trouble(err error) {
	c.init()
	conn, serr := c.Store.Connection()
	if serr != nil || conn.Status != store.ConnActive || conn.ConsumerKey == "" {
		return
	}
	if conn.CheckedAt != nil && c.Now().Sub(*conn.CheckedAt) < c.RecheckMin {
		return
	}
	c.Log.Warn("WooCommerce failed the sync engine; testing the connection", slog.Any("err", err))
	c.signal(c.trouble)
}

func (c *Checker) signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Supervise re-tests a connection in ERROR with backoff — RecheckMin,
// doubling, at most RecheckMax — until it passes, and tests an ACTIVE one
// when the engine reports trouble; it runs until ctx ends. When the store
// is back the new client is handed to the engine and work resumes by
// itself; deliveries wait in the inbox meanwhile.
func (c *Checker) Supervise(ctx context.Context) {
	c.init()
	attempt := 0
	for {
		var retry <-chan time.Time
		if conn, err := c.Store.Connection(); err == nil && conn.Status == store.ConnError && conn.ConsumerKey != "" {
			retry = c.after(c.delay(attempt))
		}
		select {
		case <-ctx.Done():
			return
		case <-c.changed:
			attempt = 0
			continue
		case <-c.trouble:
			attempt = 0
		case <-retry:
			attempt++
		}
		conn, err := c.recheck(ctx, c.delay(attempt))
		switch {
		case err != nil:
			c.Log.Error("connection re-check", slog.Any("err", err))
		case conn.Status == store.ConnActive:
			attempt = 0
		}
	}
}

// recheck tests the stored credentials in force.
func (c *Checker) recheck(ctx context.Context, next time.Duration) (store.Connection, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	prev, err := c.Store.Connection()
	if err != nil {
		return prev, fmt.Errorf("connection: %w", err)
	}
	if prev.ConsumerKey == "" {
		return prev, nil
	}
	wasError := prev.Status == store.ConnError
	conn, err := c.checkInForce(ctx, prev.StoreURL, prev.ConsumerKey, prev.ConsumerSecret, next)
	if err == nil && wasError && conn.Status == store.ConnActive {
		c.activity("info", "Connection to "+conn.StoreURL+" restored; the sync resumes.")
	}
	return conn, err
}

// delay is the wait before re-check number attempt+1: RecheckMin, doubling,
// at most RecheckMax.
func (c *Checker) delay(attempt int) time.Duration {
	return backoff.Exponential(c.RecheckMin, c.RecheckMax, attempt)
}

func (c *Checker) activity(level, line string) {
	if err := c.Store.LogActivity(level, line); err != nil {
		c.Log.Error("activity log", slog.Any("err", err))
	}
}

func userError(err error) *store.ConnErrorInfo {
	var we *woo.Error
	if errors.As(err, &we) {
		return &store.ConnErrorInfo{Code: we.Code, Message: we.Message, Fix: we.Fix}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &store.ConnErrorInfo{Code: woo.CodeUnreachable, Message: "The store did not answer in time.", Fix: woo.FixUnreachable}
	}
	return &store.ConnErrorInfo{Code: "woo_error", Message: err.Error(), Fix: "Check the store URL and that WooCommerce is active."}
}

func (c *Checker) logOutcome(ctx context.Context, conn store.Connection) {
	var line string
	switch {
	case conn.Status == store.ConnActive:
		routes := "REST v3 only (plugin routes missing: install the OnCloudWine plugin for fast syncs)"
		if conn.PluginRoutes {
			routes = "plugin routes available"
		}
		line = fmt.Sprintf("Connected to WooCommerce %s at %s (auth %s, %s)", conn.WCVersion, conn.StoreURL, conn.AuthMethod, routes)
		if conn.Warning != nil {
			line += ". Warning: " + conn.Warning.Message + " " + conn.Warning.Fix
		}
		c.Log.InfoContext(ctx, "woocommerce connected", slog.String("store_url", conn.StoreURL), slog.String("wc_version", conn.WCVersion), slog.String("auth", conn.AuthMethod))
	default:
		line = fmt.Sprintf("Connection to %s failed: %s %s", conn.StoreURL, conn.LastError.Message, conn.LastError.Fix)
		c.Log.WarnContext(ctx, "woocommerce connection failed", slog.String("store_url", conn.StoreURL), slog.String("code", conn.LastError.Code), slog.String("message", conn.LastError.Message))
	}
	level := "info"
	if conn.Status != store.ConnActive {
		level = "error"
	}
	c.activity(level, line)
}

func (c *Checker) report(ctx context.Context, conn store.Connection) {
	if c.Reporter == nil {
		return
	}
	err := c.Reporter.ReportConnection(ctx, oncloudwine.Connection{Status: conn.Status, StoreURL: conn.StoreURL, WCVersion: conn.WCVersion})
	if err != nil {
		c.Log.Warn("could not report the connection to OnCloudWine", slog.Any("err", err))
	}
}
