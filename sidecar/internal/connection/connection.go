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
	"time"

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

// Checker tests credentials against the store.
type Checker struct {
	Store    *store.Store
	Clients  ClientSetter
	Reporter Reporter
	// Base carries the operator's client settings (CA file, plain-HTTP
	// opt-in, concurrency, logger); the URL and key come per check.
	Base woo.Config
	Log  *slog.Logger
	Now  func() time.Time
}

// checkTimeout bounds one connection test.
const checkTimeout = 60 * time.Second

// Connect is the admin API's POST /v1/connection. The test runs to its end
// even when the caller stops waiting (the plugin's request times out, the
// admin closes the tab): its outcome is recorded and shows in the status.
func (c *Checker) Connect(ctx context.Context, req httpapi.ConnectRequest) (store.Connection, error) {
	return c.Check(context.WithoutCancel(ctx), strings.TrimRight(strings.TrimSpace(req.StoreURL), "/"), req.ConsumerKey, req.ConsumerSecret)
}

// Check runs the test with the given credentials and records the result.
// The returned error is only for failures to record; a store that fails the
// test gives a Connection with status ERROR and LastError set.
func (c *Checker) Check(ctx context.Context, storeURL, key, secret string) (store.Connection, error) {
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
	} else {
		conn.Status = store.ConnActive
		if info.PlainPermalinks {
			conn.Warning = userError(woo.ErrPlainPermalinks)
		}
	}
	if perr := c.Store.PutConnection(conn); perr != nil {
		return conn, fmt.Errorf("connection.Check: record: %w", perr)
	}
	c.logOutcome(ctx, conn)
	if conn.Status == store.ConnActive {
		c.Clients.Set(client)
	}
	c.report(ctx, conn)
	return conn, nil
}

// Startup re-tests the connection when the sidecar starts: the environment's
// key when set, else the one an admin connected with before.
func (c *Checker) Startup(ctx context.Context, envURL, envKey, envSecret string) {
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
	if err := c.Store.LogActivity(level, line); err != nil {
		c.Log.Error("activity log", slog.Any("err", err))
	}
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
