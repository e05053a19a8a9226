package syncer

import (
	"crypto/x509"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

const (
	e2eKey    = "ck_e2e_key_0123456789"
	e2eSecret = "cs_e2e_secret_0123456789"
	e2eToken  = "ock_e2e_token"
	e2eShared = "e2e-shared-secret-at-least-32-characters!"
)

// e2e is both simulators over real HTTP, the sidecar's HTTP edge for
// webhooks, a real store in a temp dir and the engine.
type e2e struct {
	t      *testing.T
	dir    string
	woo    *woosim.Sim
	wooURL string
	ocw    *ocwsim.Sim
	wc     *woo.Client
	oc     *oncloudwine.Client
	store  *store.Store
	eng    *Engine
	edge   *httptest.Server
	pool   *x509.CertPool
	// down makes the store answer 503 to everything (PHP or its database down).
	down atomic.Bool
	// onTrouble, when set before newEngine, is the engine's OnWooTrouble.
	onTrouble func(error)
}

type e2eOptions struct {
	sim      woosim.Options
	webhooks bool
}

func newE2E(t *testing.T, o e2eOptions) *e2e {
	t.Helper()
	x := &e2e{t: t, dir: t.TempDir()}
	o.sim.ConsumerKey, o.sim.ConsumerSecret = e2eKey, e2eSecret
	sim, err := woosim.New(o.sim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	wooSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if x.down.Load() {
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		sim.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(wooSrv.Close)
	x.woo, x.wooURL = sim, wooSrv.URL
	pool := x509.NewCertPool()
	pool.AddCert(wooSrv.Certificate())
	x.pool = pool
	x.wc, err = woo.New(woo.Config{StoreURL: wooSrv.URL, ConsumerKey: e2eKey, ConsumerSecret: e2eSecret, RootCAs: pool,
		RetryBaseDelay: time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}

	x.ocw = ocwsim.New(ocwsim.Options{Token: e2eToken})
	ocwSrv := httptest.NewServer(x.ocw.Handler())
	t.Cleanup(ocwSrv.Close)
	x.oc, err = oncloudwine.New(oncloudwine.Config{BaseURL: ocwSrv.URL, Token: e2eToken, RetryMax: 2,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}

	x.store = openTestStore(t, x.dir)
	info, err := x.wc.CheckConnection(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.WeightUnit == "" {
		t.Log("the WooCommerce client found no weight unit (simulator lacks settings/products/woocommerce_weight_unit); using kg")
		info.WeightUnit = "kg"
	}
	if err := x.store.PutConnection(store.Connection{Status: store.ConnActive, StoreURL: wooSrv.URL, WCVersion: info.WCVersion,
		Currency: info.Currency, WeightUnit: info.WeightUnit, PluginRoutes: info.PluginRoutes}); err != nil {
		t.Fatal(err)
	}
	x.eng = x.newEngine()
	edge := httpapi.New(httpapi.Deps{Store: x.store, Secret: []byte(e2eShared), Jobs: x.eng, Reconciler: x.eng, CatchUp: x.eng})
	x.edge = httptest.NewServer(edge.Handler())
	t.Cleanup(x.edge.Close)
	if o.webhooks {
		for _, topic := range []string{"product.created", "product.updated", "product.deleted", "product.restored"} {
			if _, err := sim.CreateWebhook("OnCloudWine: "+topic, topic, x.edge.URL+"/v1/webhooks/woocommerce", e2eShared); err != nil {
				t.Fatal(err)
			}
		}
	}
	return x
}

func (x *e2e) newEngine() *Engine {
	x.t.Helper()
	e, err := New(Config{Store: x.store, Woo: x.wc, OCW: x.oc, RetryMin: time.Millisecond, RetryMax: 20 * time.Millisecond,
		IdlePoll: 50 * time.Millisecond, ReconcileInterval: time.Hour, ReconcileOverlap: time.Second, OnWooTrouble: x.onTrouble})
	if err != nil {
		x.t.Fatal(err)
	}
	x.t.Cleanup(e.Stop)
	return e
}

func (x *e2e) runSync() store.Job {
	x.t.Helper()
	job, err := x.eng.RunJob(x.t.Context(), store.JobSyncProducts, nil)
	if err != nil || job.State != store.JobSucceeded {
		x.t.Fatalf("RunJob = %+v, %v", job, err)
	}
	return job
}

func (x *e2e) start() {
	x.t.Helper()
	if err := x.eng.Start(x.t.Context()); err != nil {
		x.t.Fatal(err)
	}
}

func (x *e2e) item(key string) store.Item {
	x.t.Helper()
	it, _, err := x.store.GetItem(ItemKind, key)
	if err != nil {
		x.t.Fatal(err)
	}
	return it
}

func (x *e2e) archived(sku string) bool {
	for _, s := range x.ocw.Archived() {
		if s == sku {
			return true
		}
	}
	return false
}

func woosimOptions(noPlugin bool) woosim.Options { return woosim.Options{NoPlugin: noPlugin} }
