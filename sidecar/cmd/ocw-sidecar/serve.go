package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/metrics"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// shutdownGrace bounds how long in-flight requests may take after SIGTERM.
const shutdownGrace = 15 * time.Second

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	level, _ := config.ParseLevel(cfg.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func cmdServe(ctx context.Context, stderr io.Writer) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	if err := cfg.ValidateServe(); err != nil {
		return err
	}
	// The address and the folder are checked before anything is logged, so
	// that a wrong one gives one line naming the variable and the fix.
	if err := checkDataDir(cfg.DataDir); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return &config.Error{Var: "OCW_LISTEN_ADDR", Problem: fmt.Sprintf("%s cannot be listened on (%v)", cfg.ListenAddr, err),
			Fix: "stop what already listens there (another ocw-sidecar?) or set a free host:port"}
	}
	log := newLogger(cfg, stderr)
	tuneGC()
	log.LogAttrs(ctx, slog.LevelInfo, "starting ocw-sidecar", append([]slog.Attr{slog.String("version", version)}, cfg.Redacted()...)...)
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		_ = ln.Close()
		return err
	}
	log.Info("listening", slog.String("addr", ln.Addr().String()))
	return a.serve(ctx, ln)
}

// checkDataDir creates OCW_DATA_DIR (0700, as the store does) and makes sure
// this user can write in it.
func checkDataDir(dir string) error {
	bad := func(err error) error {
		return &config.Error{Var: "OCW_DATA_DIR", Problem: fmt.Sprintf("%s is not a usable folder (%v)", dir, err),
			Fix: "set it to a folder this user may create and write in (default ./data)"}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return bad(err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return bad(err)
	}
	_ = f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return bad(err)
	}
	return nil
}

// gcPercent is the sidecar's default GOGC. Its live heap is a few MB and
// almost everything a webhook allocates is garbage a millisecond later; at the
// default 100 the collector ran ~80 times a second under a 12,000/s burst.
// 400 costs about 12 MB more heap and gave 11 % more deliveries per second
// and a p99 a millisecond lower (make bench). GOGC in the environment wins.
const gcPercent = 400

// memoryLimit is the sidecar's default soft memory limit (GOMEMLIMIT). With
// GOGC at 400 a burst of large bodies could otherwise let the heap grow to
// five times what is live; near the limit the collector runs sooner and gives
// pages back to the system. GOMEMLIMIT in the environment wins.
const memoryLimit = 96 << 20

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

// app is one running sidecar: store, metrics, engine and HTTP edge.
type app struct {
	cfg      config.Config
	log      *slog.Logger
	store    *store.Store
	metrics  *metrics.Metrics
	http     *httpapi.Server
	services *services
}

func newApp(ctx context.Context, cfg config.Config, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: log}
	var m *metrics.Metrics
	st, err := store.Open(cfg.DataDir, store.Options{
		Logger:   log,
		OnCommit: func(d time.Duration, n int) { m.Commit(d, n) },
	})
	if err != nil {
		return nil, err
	}
	m = metrics.New(version, func() float64 { return float64(st.InboxDepth()) })
	a.store, a.metrics = st, m
	a.services, err = newServices(ctx, cfg, st, log)
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	deps := httpapi.Deps{
		Store: st, Secret: []byte(cfg.SharedSecret), Logger: log, Metrics: m, Version: version,
		Defaults: store.EffectiveSettings{MirrorReleaseOrders: cfg.MirrorReleaseOrders, CustomerMapping: cfg.CustomerMapping, StockSyncInterval: cfg.StockSyncInterval},
	}
	a.services.wire(&deps)
	a.http = httpapi.New(deps)
	return a, nil
}

// serve runs until ctx ends, then stops in order: HTTP (finish in-flight
// requests), the engine, the store.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	if err := a.services.start(ctx); err != nil {
		_ = ln.Close()
		_ = a.store.Close()
		return err
	}
	err := a.http.Serve(ctx, ln, shutdownGrace)
	a.log.Info("shutting down")
	a.services.stop()
	if cerr := a.store.Close(); err == nil {
		err = cerr
	}
	a.log.Info("stopped")
	return err
}
