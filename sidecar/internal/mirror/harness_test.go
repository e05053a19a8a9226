package mirror

import (
	"crypto/x509"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

const (
	testKey    = "ck_mirror_key_0123456789"
	testSecret = "cs_mirror_secret_0123456789"
	testToken  = "ock_mirror_token"
)

// env is both simulators over real HTTP (WooCommerce over TLS), a real
// store in a temp dir and a mirror.
type env struct {
	t       *testing.T
	dir     string
	woo     *woosim.Sim
	wc      *woo.Client
	ocw     *ocwsim.Sim
	oc      *oncloudwine.Client
	store   *store.Store
	m       *Mirror
	enabled atomic.Bool
	mapping atomic.Value
}

type envOptions struct {
	sim        woosim.Options
	wooTimeout time.Duration
	off        bool
	mapping    string
}

func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	x := &env{t: t, dir: t.TempDir()}
	o.sim.ConsumerKey, o.sim.ConsumerSecret = testKey, testSecret
	sim, err := woosim.New(o.sim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	wooSrv := httptest.NewTLSServer(sim.Handler())
	t.Cleanup(wooSrv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(wooSrv.Certificate())
	x.woo = sim
	x.wc, err = woo.New(woo.Config{StoreURL: wooSrv.URL, ConsumerKey: testKey, ConsumerSecret: testSecret, RootCAs: pool,
		RetryBaseDelay: time.Millisecond, Timeout: o.wooTimeout, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.wc.Close)
	x.ocw = ocwsim.New(ocwsim.Options{Token: testToken})
	ocwSrv := httptest.NewServer(x.ocw.Handler())
	t.Cleanup(ocwSrv.Close)
	x.oc, err = oncloudwine.New(oncloudwine.Config{BaseURL: ocwSrv.URL, Token: testToken, RetryMax: 2,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	x.store, err = store.Open(x.dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.store.Close() })
	x.enabled.Store(!o.off)
	if o.mapping == "" {
		o.mapping = MappingCreate
	}
	x.mapping.Store(o.mapping)
	x.m = x.newMirror()
	return x
}

func (x *env) newMirror() *Mirror {
	x.t.Helper()
	m, err := New(Config{Store: x.store, Woo: func() Woo { return x.wc }, OCW: x.oc,
		Enabled: x.enabled.Load, Mapping: func() string { return x.mapping.Load().(string) },
		PollInterval: 20 * time.Millisecond, RetryMin: 5 * time.Millisecond, RetryMax: 40 * time.Millisecond})
	if err != nil {
		x.t.Fatal(err)
	}
	x.t.Cleanup(m.Stop)
	return m
}

// start starts the mirror and waits until its first poll set the cursor
// (mirroring starts now: release orders added afterwards are mirrored).
func (x *env) start() {
	x.t.Helper()
	if err := x.m.Start(x.t.Context()); err != nil {
		x.t.Fatal(err)
	}
	if !x.enabled.Load() {
		return
	}
	x.waitFor("the poll cursor", func() bool {
		v, err := x.store.Cursor(store.MirrorCursorName)
		return err == nil && v != ""
	})
}

// waitFor polls cond until it holds, or fails the test (testutil.Eventually).
func (x *env) waitFor(what string, cond func() bool) {
	x.t.Helper()
	testutil.Eventually(x.t, what, cond)
}

func (x *env) record(id string) store.MirrorRecord {
	x.t.Helper()
	var r store.MirrorRecord
	err := x.store.View(func(tx *store.Tx) error {
		var err error
		r, _, err = tx.Mirror(id)
		return err
	})
	if err != nil {
		x.t.Fatal(err)
	}
	return r
}

func (x *env) waitState(id, state string) store.MirrorRecord {
	x.t.Helper()
	var r store.MirrorRecord
	x.waitFor(id+" "+state, func() bool { r = x.record(id); return r.State == state })
	return r
}

// waitReported waits until OnCloudWine holds the report of id.
func (x *env) waitReported(id, status string) ocwsim.MirrorReport {
	x.t.Helper()
	var rep ocwsim.MirrorReport
	x.waitFor("report "+status+" of "+id, func() bool {
		rep = x.ocw.MirrorReports()[id]
		return rep.Status == status && (status != "SYNCED" || x.record(id).Done())
	})
	return rep
}

// ordersFor returns the WooCommerce orders whose meta names release order id.
func (x *env) ordersFor(id string) []woosim.Order {
	var out []woosim.Order
	for _, o := range x.woo.Orders() {
		for _, m := range o.MetaData {
			if v, ok := m.Value.(string); ok && m.Key == woo.ReleaseOrderMeta && v == id {
				out = append(out, o)
			}
		}
	}
	return out
}

func (x *env) addRelease(id, email string, lines ...ocwsim.ReleaseLineItem) ocwsim.ReleaseOrder {
	x.t.Helper()
	return x.ocw.AddReleaseOrder(ocwsim.ReleaseOrder{
		ID: id, ReleaseID: "rel_autumn_2026",
		Customer:      ocwsim.ReleaseCustomer{Email: email, FirstName: "Rui", LastName: "Sousa", Phone: "+351 900 000 000"},
		Billing:       ocwsim.Address{FirstName: "Rui", LastName: "Sousa", Address1: "Av. 2", City: "Lisboa", Postcode: "1000-001", Country: "PT", Email: email},
		Shipping:      ocwsim.Address{FirstName: "Rui", LastName: "Sousa", Address1: "Av. 2", City: "Lisboa", Postcode: "1000-001", Country: "PT"},
		LineItems:     lines,
		ShippingTotal: "9.00",
	})
}

func line(sku string, qty int, unit string) ocwsim.ReleaseLineItem {
	return ocwsim.ReleaseLineItem{SKU: sku, Quantity: qty, UnitPrice: unit}
}

func stockOf(t *testing.T, sim *woosim.Sim, sku string) int {
	t.Helper()
	p, ok := sim.ProductBySKU(sku)
	if !ok || p.StockQuantity == nil {
		t.Fatalf("no managed stock for %s", sku)
	}
	return *p.StockQuantity
}
