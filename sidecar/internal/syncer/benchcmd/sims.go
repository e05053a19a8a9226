package main

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"

	ocwsim "github.com/oncloudwine/ocw-woocommerce/sidecar/sim/oncloudwine"
	woosim "github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woo"
)

// serveSims runs both simulators until ctx ends and prints
// "ready <woo URL> <OnCloudWine URL>" once they listen.
func serveSims(ctx context.Context, o options, stdout io.Writer, logger *slog.Logger) error {
	sim, err := woosim.New(woosim.Options{
		ConsumerKey: benchKey, ConsumerSecret: benchSecret, NoPlugin: o.noPlugin,
		Products: o.products, Variations: o.variations, Seed: 1, Latency: o.wooLatency, Logger: logger,
	})
	if err != nil {
		return fmt.Errorf("woo simulator: %w", err)
	}
	defer sim.Close()
	wooSrv := httptest.NewTLSServer(sim.Handler())
	defer wooSrv.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: wooSrv.Certificate().Raw})
	if err := os.WriteFile(o.caOut, ca, 0o600); err != nil {
		return err
	}
	ocw := ocwsim.New(ocwsim.Options{Token: benchToken, Latency: o.ocwLatency, Logger: logger})
	ocwSrv := httptest.NewServer(ocw.Handler())
	defer ocwSrv.Close()
	fmt.Fprintf(stdout, "ready %s %s\n", wooSrv.URL, ocwSrv.URL)
	<-ctx.Done()
	return nil
}
