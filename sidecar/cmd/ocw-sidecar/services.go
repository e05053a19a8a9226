package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/connection"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/mirror"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/syncer"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// services groups the background services: the connection checker (always)
// and the sync engine (when OnCloudWine is configured).
type services struct {
	cfg     config.Config
	log     *slog.Logger
	woo     *syncer.WooSwitch
	sync    *syncer.Engine
	mirror  *mirror.Mirror
	checker *connection.Checker
	wg      sync.WaitGroup
	cancel  context.CancelFunc // ends the connection supervisor
}

func newServices(_ context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (*services, error) {
	e := &services{cfg: cfg, log: log, woo: &syncer.WooSwitch{}}
	e.checker = &connection.Checker{
		Store: st, Clients: e.woo, Log: log.With(slog.String("component", "connection")), Now: time.Now,
		RecheckMin: cfg.WooRecheckInterval,
		Base:       woo.Config{CAFile: cfg.WooCAFile, AllowHTTP: cfg.WooAllowHTTP, MaxConcurrency: cfg.WooMaxConcurrency, Timeout: cfg.WooTimeout, Logger: log}, // woo.New adds component=woo,
	}
	if cfg.APIURL != "" && cfg.APIToken != "" {
		ocw, err := oncloudwine.New(oncloudwine.Config{BaseURL: cfg.APIURL, Token: cfg.APIToken, Logger: log.With(slog.String("component", "oncloudwine"))})
		if err != nil {
			return nil, fmt.Errorf("OnCloudWine client: %w", err)
		}
		e.checker.Reporter = ocw
		stockInterval := func() time.Duration {
			over, err := st.Settings()
			if err != nil {
				log.Warn("stock sync interval from settings", slog.Any("err", err))
				return cfg.StockSyncInterval
			}
			return over.Apply(store.EffectiveSettings{StockSyncInterval: cfg.StockSyncInterval}).StockSyncInterval
		}
		e.sync, err = syncer.New(syncer.Config{
			Store: st, Woo: e.woo, OCW: ocw, Logger: log.With(slog.String("component", "syncer")), Now: time.Now,
			ReconcileInterval: cfg.ReconcileInterval, StockSyncInterval: cfg.StockSyncInterval, StockInterval: stockInterval,
			OnWooTrouble:        e.checker.Trouble,
			ReservationInterval: cfg.ReleasePollInterval,
		})
		if err != nil {
			return nil, fmt.Errorf("sync engine: %w", err)
		}
		if e.mirror, err = newMirror(cfg, st, e.woo, ocw, log); err != nil {
			return nil, err
		}
	} else {
		log.Warn("OCW_API_URL or OCW_API_TOKEN not set: webhooks are stored, nothing is sent to OnCloudWine")
	}
	return e, nil
}

// wire hands the engine's parts to the HTTP edge.
func (e *services) wire(d *httpapi.Deps) {
	d.Connector = e.checker
	if e.sync != nil {
		d.Jobs, d.Reconciler, d.CatchUp, d.Sync = e.sync, e.sync, e.sync, e.sync
	}
	if e.mirror != nil {
		d.Mirror = e.mirror
	}
}

// newMirror builds the release-order mirror. Whether it mirrors, and with
// which customer mapping, is read from the settings in force at every poll
// and order, so the settings screen applies without a restart.
func newMirror(cfg config.Config, st *store.Store, sw *syncer.WooSwitch, ocw *oncloudwine.Client, log *slog.Logger) (*mirror.Mirror, error) {
	effective := func() store.EffectiveSettings {
		def := store.EffectiveSettings{MirrorReleaseOrders: cfg.MirrorReleaseOrders, CustomerMapping: cfg.CustomerMapping}
		over, err := st.Settings()
		if err != nil {
			log.Warn("mirror settings", slog.Any("err", err))
			return def
		}
		return over.Apply(def)
	}
	m, err := mirror.New(mirror.Config{
		Store: st, OCW: ocw, Logger: log.With(slog.String("component", "mirror")), Now: time.Now,
		Woo: func() mirror.Woo {
			if c := sw.Client(); c != nil {
				return c
			}
			return nil
		},
		Enabled:      func() bool { return effective().MirrorReleaseOrders },
		Mapping:      func() string { return effective().CustomerMapping },
		PollInterval: cfg.ReleasePollInterval, Workers: cfg.WooMaxConcurrency,
	})
	if err != nil {
		return nil, fmt.Errorf("release-order mirror: %w", err)
	}
	return m, nil
}

// start runs, in the background, the start-up connection check, then the
// connection supervisor (which re-tests a connection in ERROR with backoff)
// and the sync engine. The engine waits for the check: a job that a restart resumes
// (or the webhooks waiting in the inbox) would otherwise run before the
// WooCommerce client is set and fail with "not connected". The HTTP edge
// serves meanwhile; webhooks are stored and jobs queued as usual.
func (e *services) start(ctx context.Context) error {
	ctx, e.cancel = context.WithCancel(ctx)
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.checker.Startup(ctx, e.cfg.WooURL, e.cfg.WooConsumerKey, e.cfg.WooConsumerSecret)
		if ctx.Err() != nil {
			return
		}
		e.wg.Go(func() { e.checker.Supervise(ctx) })
		if e.sync == nil {
			return
		}
		if err := e.sync.Start(ctx); err != nil {
			e.log.Error("sync engine did not start", slog.Any("err", err))
		}
		if e.mirror != nil {
			if err := e.mirror.Start(ctx); err != nil {
				e.log.Error("release-order mirror did not start", slog.Any("err", err))
			}
		}
	}()
	return nil
}

// stop ends the connection check and supervisor, waits for them, and stops
// the sync engine.
func (e *services) stop() {
	if e.cancel != nil {
		e.cancel()
	}
	e.wg.Wait()
	if e.mirror != nil {
		e.mirror.Stop()
	}
	if e.sync != nil {
		e.sync.Stop()
	}
	if c := e.woo.Client(); c != nil {
		c.Close()
	}
}
