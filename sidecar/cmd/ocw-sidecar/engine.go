package main

import (
	"context"
	"log/slog"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// engine groups the background services that sync; it is empty until
// WooCommerce and OnCloudWine are configured.
type engine struct {
	log *slog.Logger
}

func newEngine(_ context.Context, _ config.Config, _ *store.Store, log *slog.Logger) (*engine, error) {
	return &engine{log: log}, nil
}

func (e *engine) wire(_ *httpapi.Deps) {}

func (e *engine) start(context.Context) error { return nil }

func (e *engine) stop() {}
