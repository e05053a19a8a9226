// Package demo tells the product's story on simulators, for `make demo` and
// people trying the sidecar: a seeded winery store (the WooCommerce
// simulator over real TLS), the OnCloudWine simulator and a real sidecar on
// loopback; it connects, runs SYNC_WOOCOMMERCE_PRODUCTS with a progress bar,
// edits a price and shows it arrive by webhook, syncs stock net of
// reservations, lists the FAILED items with their fixes and prints a summary.
// Everything talks over HTTP exactly as in production, and everything it
// started is stopped before Run returns.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/adminclient"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// SidecarFunc runs a sidecar with cfg on ln until ctx ends (ocw-sidecar's
// serve path, handed in by main so the demo runs the real thing).
type SidecarFunc func(ctx context.Context, cfg config.Config, ln net.Listener) error

// Options shape the simulated store.
type Options struct {
	Products, Variations int           // generated variable wines × variations, on top of the lab catalog
	Seed                 int64         // catalog seed
	Latency              time.Duration // per WooCommerce request
	NoPlugin             bool          // force the REST fallback
	Sidecar              SidecarFunc
	Out                  io.Writer
	Progress             bool // draw the progress bar in place (a terminal)
}

// Run tells the story; it returns an error when a step does not hold.
func Run(ctx context.Context, o Options) (err error) {
	start := time.Now()
	dir, err := os.MkdirTemp("", "ocw-demo-*")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	env, err := startWorld(ctx, dir, o)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := env.close(); err == nil {
			err = cerr
		}
	}()
	s := &story{o: o, env: env, out: o.Out}
	s.intro()
	steps := []func(context.Context) error{s.connect, s.fullSync, s.priceByWebhook, s.stock, s.paidOrder, s.secondSync, s.mirrorRelease, s.failedItems}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return s.summary(ctx, time.Since(start))
}

// world is everything the demo started.
type world struct {
	woo       *woosim.Sim
	ocw       *ocwsim.Sim
	wooURL    string
	ocwURL    string
	admin     *adminclient.Client
	servers   []*http.Server
	sidecar   chan error
	stopSide  context.CancelFunc
	dataDir   string
	webhooks  int
	wooKey    string
	wooSecret string
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func startWorld(ctx context.Context, dir string, o Options) (*world, error) {
	w := &world{wooKey: "ck_demo_" + randomHex(16), wooSecret: "cs_demo_" + randomHex(16), dataDir: filepath.Join(dir, "data")}
	secret := randomHex(24)
	ocwToken := "ock_demo_" + randomHex(12)

	wooLn, caFile, tlsCfg, err := listenTLS(dir)
	if err != nil {
		return nil, err
	}
	w.wooURL = "https://" + wooLn.Addr().String()
	w.woo, err = woosim.New(woosim.Options{
		ConsumerKey: w.wooKey, ConsumerSecret: w.wooSecret, HomeURL: w.wooURL,
		Products: o.Products, Variations: o.Variations, Seed: o.Seed, Latency: o.Latency, NoPlugin: o.NoPlugin,
	})
	if err != nil {
		_ = wooLn.Close()
		return nil, fmt.Errorf("demo: WooCommerce simulator: %w", err)
	}
	w.serve(&http.Server{Handler: w.woo.Handler(), TLSConfig: tlsCfg, ReadHeaderTimeout: 10 * time.Second}, wooLn, true)

	ocwLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, w.closeWith(fmt.Errorf("demo: %w", err))
	}
	w.ocwURL = "http://" + ocwLn.Addr().String()
	w.ocw = ocwsim.New(ocwsim.Options{Token: ocwToken, Organization: "Demo Winery"})
	w.serve(&http.Server{Handler: w.ocw.Handler(), ReadHeaderTimeout: 10 * time.Second}, ocwLn, false)

	sideLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, w.closeWith(fmt.Errorf("demo: %w", err))
	}
	cfg := config.Config{
		ListenAddr: sideLn.Addr().String(), DataDir: w.dataDir, SharedSecret: secret,
		WooCAFile: caFile, WooMaxConcurrency: 4, APIURL: w.ocwURL, APIToken: ocwToken,
		StockSyncInterval: 10 * time.Minute, ReconcileInterval: 5 * time.Minute, ReleasePollInterval: time.Second, WooRecheckInterval: time.Minute,
		CustomerMapping: config.MappingCreate, LogLevel: "error", LogFormat: "text",
	}
	if err := cfg.ValidateServe(); err != nil {
		return nil, w.closeWith(err)
	}
	sctx, stop := context.WithCancel(ctx)
	w.stopSide, w.sidecar = stop, make(chan error, 1)
	go func() { w.sidecar <- o.Sidecar(sctx, cfg, sideLn) }()
	w.admin = adminclient.New(cfg.ListenAddr, secret)
	if err := w.admin.WaitHealthy(ctx, 15*time.Second); err != nil {
		return nil, w.closeWith(err)
	}
	hook := w.admin.Base + "/v1/webhooks/woocommerce"
	for _, topic := range []string{"product.created", "product.updated", "product.deleted", "product.restored", "order.created", "order.updated"} {
		if _, err := w.woo.CreateWebhook("OnCloudWine: "+topic, topic, hook, secret); err != nil {
			return nil, w.closeWith(fmt.Errorf("demo: create webhook %s: %w", topic, err))
		}
		w.webhooks++
	}
	return w, nil
}

func (w *world) serve(srv *http.Server, ln net.Listener, tls bool) {
	w.servers = append(w.servers, srv)
	go func() {
		if tls {
			_ = srv.ServeTLS(ln, "", "")
		} else {
			_ = srv.Serve(ln)
		}
	}()
}

func (w *world) closeWith(err error) error {
	return errors.Join(err, w.close())
}

// close stops the sidecar first (it flushes and closes its store), then the
// simulators.
func (w *world) close() error {
	var errs []error
	if w.stopSide != nil {
		w.stopSide()
		if err := <-w.sidecar; err != nil {
			errs = append(errs, fmt.Errorf("sidecar: %w", err))
		}
		w.stopSide = nil
	}
	if w.woo != nil {
		w.woo.Close()
	}
	// The story is over: the simulators close at once. A graceful Shutdown
	// would wait up to 5 s for any connection still in StateNew.
	for _, srv := range w.servers {
		if err := srv.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	w.servers = nil
	return errors.Join(errs...)
}
