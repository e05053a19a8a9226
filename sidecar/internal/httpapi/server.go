// Package httpapi is the sidecar's HTTP edge: the WooCommerce webhook route,
// the bearer-authenticated admin API, probes and metrics. It only reads and
// writes the store and hands work to the engine through small interfaces; it
// never calls WooCommerce or OnCloudWine itself.
package httpapi

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/metrics"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// Connector checks a store's credentials and records the connection.
type Connector interface {
	Connect(ctx context.Context, req ConnectRequest) (store.Connection, error)
}

// ConnectRequest is the body of POST /v1/connection.
type ConnectRequest struct {
	StoreURL       string `json:"store_url"`
	ConsumerKey    string `json:"consumer_key"`
	ConsumerSecret string `json:"consumer_secret"`
}

// JobStarter queues sync jobs.
type JobStarter interface {
	StartJob(ctx context.Context, typ string) (store.Job, error)
}

// Reconciler takes a request for an immediate modified_after catch-up.
type Reconciler interface {
	RequestReconcile()
}

// CatchUp reads a resource from WooCommerce now, when a delivery could not
// carry it (a WordPress REST error came in its place). It must not block.
type CatchUp interface {
	CatchUp(ctx context.Context, resource string)
}

// SyncStatus tells the engine's live state: whether the inbox is moving,
// whether a reconcile runs.
type SyncStatus interface {
	SyncStatus() store.SyncStatus
}

// Deps is what the edge needs. Connector, Jobs and Reconciler may be nil
// while their parts are not configured: the routes then answer 503.
type Deps struct {
	Store      *store.Store
	Secret     []byte
	Logger     *slog.Logger
	Metrics    *metrics.Metrics
	Version    string
	Defaults   store.EffectiveSettings
	Connector  Connector
	Jobs       JobStarter
	Reconciler Reconciler
	Mirror     Backfiller // nil without OnCloudWine
	CatchUp    CatchUp
	Sync       SyncStatus
	// BodyBudget bounds the webhook body bytes read at once (0: DefaultBodyBudget).
	BodyBudget int64
}

// Server is the sidecar's HTTP server.
type Server struct {
	deps   Deps
	echo   *echo.Echo
	http   *http.Server
	budget *bodyBudget
}

// New builds the routes.
func New(deps Deps) *Server {
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(deps.Logger)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		deps.Logger.Error("panic in handler", slog.String("path", c.Path()), slog.Any("err", err), slog.String("stack", string(stack)))
		return err
	}}))
	e.Use(requestLogger(deps.Logger))
	s := &Server{deps: deps, echo: e, budget: newBodyBudget(deps.BodyBudget)}

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if deps.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(deps.Metrics.Handler()))
	}
	e.POST("/v1/webhooks/woocommerce", s.webhook)

	admin := e.Group("/v1", middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		KeyLookup:  "header:Authorization",
		AuthScheme: "Bearer",
		Validator: func(key string, _ echo.Context) (bool, error) {
			return subtle.ConstantTimeCompare([]byte(key), deps.Secret) == 1, nil
		},
		ErrorHandler: func(error, echo.Context) error { return unauthorized() },
	}))
	s.adminRoutes(admin)
	return s
}

// Handler exposes the router (tests drive it with httptest).
func (s *Server) Handler() http.Handler { return s.echo }

// Serve listens on ln until ctx is cancelled, then shuts down gracefully:
// no new connections, in-flight requests finish (up to grace).
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	s.http = &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.deps.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("httpapi.Serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := s.http.Shutdown(sctx); err != nil {
		return fmt.Errorf("httpapi.Shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("httpapi.Serve: %w", err)
	}
	return nil
}

func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRemoteIP: true,
		HandleError: false,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelDebug
			if v.Status >= 500 {
				level = slog.LevelError
			} else if v.Status >= 400 {
				level = slog.LevelInfo
			}
			if !log.Enabled(c.Request().Context(), level) {
				return nil
			}
			log.LogAttrs(c.Request().Context(), level, "http request",
				slog.String("method", v.Method), slog.String("path", v.URIPath), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("remote_ip", v.RemoteIP))
			return nil
		},
	})
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSONBlob(http.StatusOK, []byte(`{"status":"ok"}`))
}

func (s *Server) readyz(c echo.Context) error {
	if err := s.deps.Store.Ping(); err != nil {
		return apiErr(http.StatusServiceUnavailable, "store_unavailable", "The store is not open: "+err.Error(), "Check the data directory and the sidecar's log.")
	}
	if s.deps.Sync != nil {
		if in := s.deps.Sync.SyncStatus().Inbox; in.State == store.InboxStopped {
			return apiErr(http.StatusServiceUnavailable, "inbox_stopped", "Webhook processing stopped: "+in.Error, in.Fix)
		}
	}
	conn, err := s.deps.Store.Connection()
	if err != nil {
		return fmt.Errorf("readyz: %w", err)
	}
	switch conn.Status {
	case store.ConnActive:
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	case store.ConnError:
		msg, fix := "The last WooCommerce check failed.", ""
		if conn.LastError != nil {
			msg, fix = conn.LastError.Message, conn.LastError.Fix
		}
		return apiErr(http.StatusServiceUnavailable, "woo_check_failed", msg, fix)
	default:
		return apiErr(http.StatusServiceUnavailable, "woo_not_connected", "No WooCommerce store is connected yet.",
			"Connect from the plugin's settings, or set OCW_WOO_URL and the key pair.")
	}
}
