package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/syncer"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// timeReconcile measures the catch-up after an import (issue 9 item 6): a
// catalog of o.products variable products is fully synced, then one
// variation of every product changes (as a CSV import of new prices does,
// with no webhook delivered), and the engine starts: its reconcile reads
// what changed — through the plugin's catalog route with modified_after —
// and the time runs until OnCloudWine holds every new price. The
// WooCommerce simulator answers in o.wooLatency per request during the
// reconcile only (the full sync before it is not what is measured). Both
// simulators run in this process.
func timeReconcile(ctx context.Context, o options, stderr io.Writer, logger *slog.Logger) (float64, string, error) {
	dir, err := os.MkdirTemp("", "ocw-bench-reconcile-*")
	if err != nil {
		return 0, "", err
	}
	defer os.RemoveAll(dir)
	var skew atomic.Int64 // the simulator's clock runs ahead of the engine's by this much
	sim, err := woosim.New(woosim.Options{ConsumerKey: benchKey, ConsumerSecret: benchSecret, Products: o.products, Variations: o.variations, Seed: 1, Logger: logger,
		Now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }})
	if err != nil {
		return 0, "", err
	}
	defer sim.Close()
	var latency atomic.Int64 // the simulator's latency, switched on for the measured part
	wooSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := time.Duration(latency.Load()); d > 0 {
			t := time.NewTimer(d) // the simulated store's response time
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		sim.Handler().ServeHTTP(w, r)
	}))
	defer wooSrv.Close()
	ocw := ocwsim.New(ocwsim.Options{Token: benchToken, Latency: o.ocwLatency, Logger: logger})
	ocwSrv := httptest.NewServer(ocw.Handler())
	defer ocwSrv.Close()

	pool := x509.NewCertPool()
	pool.AddCert(wooSrv.Certificate())
	wc, err := woo.New(woo.Config{StoreURL: wooSrv.URL, ConsumerKey: benchKey, ConsumerSecret: benchSecret, RootCAs: pool, Logger: logger})
	if err != nil {
		return 0, "", err
	}
	defer wc.Close()
	info, err := wc.CheckConnection(ctx)
	if err != nil {
		return 0, "", fmt.Errorf("connect: %w", err)
	}
	st, err := store.Open(filepath.Join(dir, "data"), store.Options{Logger: logger})
	if err != nil {
		return 0, "", err
	}
	defer st.Close()
	if err := st.PutConnection(store.Connection{Status: store.ConnActive, StoreURL: wooSrv.URL, WCVersion: info.WCVersion,
		Currency: info.Currency, WeightUnit: "kg", PluginRoutes: info.PluginRoutes}); err != nil {
		return 0, "", err
	}
	oc, err := oncloudwine.New(oncloudwine.Config{BaseURL: ocwSrv.URL, Token: benchToken, Logger: logger})
	if err != nil {
		return 0, "", err
	}
	eng, err := syncer.New(syncer.Config{Store: st, Woo: wc, OCW: oc, Logger: logger, ReconcileInterval: time.Hour, ReconcileOverlap: time.Second})
	if err != nil {
		return 0, "", err
	}
	defer eng.Stop()
	if _, err := eng.RunJob(ctx, store.JobSyncProducts, nil); err != nil {
		return 0, "", fmt.Errorf("full sync: %w", err)
	}

	// The import: one new price on one variation of every variable product,
	// dated two seconds after the full sync (WooCommerce dates have a
	// resolution of one second) so that modified_after tells them apart.
	skew.Store(int64(2 * time.Second))
	want := map[string]string{}
	for id, seen := int64(1), 0; seen < o.products; id++ {
		p, ok := sim.Product(id)
		if !ok {
			if id > int64(100*(o.products*(o.variations+1)+1000)) {
				return 0, "", errors.New("the simulator has fewer variable products than asked")
			}
			continue
		}
		if p.Type != "variable" || len(p.Variations) == 0 || p.SKU == "" || p.Status != "publish" {
			continue
		}
		v, _ := sim.Product(p.Variations[0])
		if v.SKU == "" || v.Status != "publish" {
			continue
		}
		price := fmt.Sprintf("%d.50", 10+id%90)
		if err := sim.UpdateProduct(v.ID, func(p *woosim.Product) { p.RegularPrice, p.SalePrice = price, "" }); err != nil {
			return 0, "", err
		}
		want[v.SKU] = price
		seen++
	}

	latency.Store(int64(o.wooLatency))
	start := time.Now()
	if err := eng.Start(ctx); err != nil { // the start-up reconcile is the catch-up
		return 0, "", err
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if rs := eng.SyncStatus().Reconcile; rs.FinishedAt != nil && !rs.Running {
			if rs.Error != "" {
				return 0, "", fmt.Errorf("reconcile: %s", rs.Error)
			}
			if arrived(ocw.Variants(), want) {
				elapsed := time.Since(start)
				fmt.Fprintf(stderr, "reconcile: %d products changed, read via %s and applied in %s; %d prices in OnCloudWine in %s\n",
					rs.Products, rs.Via, rs.FinishedAt.Sub(start).Round(time.Millisecond), len(want), elapsed.Round(time.Millisecond))
				return elapsed.Seconds(), rs.Via, nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, "", ctx.Err()
		case <-tick.C:
		case <-time.After(10 * time.Minute):
			return 0, "", errors.New("the catch-up did not end within 10 minutes")
		}
	}
}

// arrived reports whether OnCloudWine holds every wanted price.
func arrived(have map[string]ocwsim.Variant, want map[string]string) bool {
	for sku, price := range want {
		if have[sku].Price != price {
			return false
		}
	}
	return true
}
