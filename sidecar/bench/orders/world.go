package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/syncer"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

const (
	benchKey    = "ck_bench_0123456789"
	benchSecret = "cs_bench_0123456789"
	benchToken  = "ock_bench"
	benchShared = "bench-shared-secret-at-least-32-characters"
)

// world is both simulators, a store in a temporary folder, the engine and
// the sidecar's HTTP edge.
type world struct {
	dir      string
	woo      *woosim.Sim
	ocw      *ocwsim.Sim
	wc       *woo.Client
	st       *store.Store
	eng      *syncer.Engine
	edge     *httptest.Server
	closers  []func()
	answered func(ids []int64) // told when orders:upsert answered, with its order ids
}

func newWorld(wooOpts woosim.Options, ocwLatency time.Duration, logger *slog.Logger) (*world, error) {
	w := &world{}
	var err error
	if w.dir, err = os.MkdirTemp("", "ocw-orders-bench-*"); err != nil {
		return nil, err
	}
	w.closers = append(w.closers, func() { os.RemoveAll(w.dir) })
	wooOpts.ConsumerKey, wooOpts.ConsumerSecret, wooOpts.Logger = benchKey, benchSecret, logger
	if w.woo, err = woosim.New(wooOpts); err != nil {
		w.close()
		return nil, err
	}
	wooSrv := httptest.NewTLSServer(w.woo.Handler())
	w.closers = append(w.closers, wooSrv.Close, w.woo.Close)
	w.ocw = ocwsim.New(ocwsim.Options{Token: benchToken, Latency: ocwLatency, Logger: logger})
	ocwSrv := httptest.NewServer(w.watchUpserts(w.ocw.Handler()))
	w.closers = append(w.closers, ocwSrv.Close)

	pool := x509.NewCertPool()
	pool.AddCert(wooSrv.Certificate())
	if w.wc, err = woo.New(woo.Config{StoreURL: wooSrv.URL, ConsumerKey: benchKey, ConsumerSecret: benchSecret, RootCAs: pool, Logger: logger}); err != nil {
		w.close()
		return nil, err
	}
	oc, err := oncloudwine.New(oncloudwine.Config{BaseURL: ocwSrv.URL, Token: benchToken, Logger: logger})
	if err != nil {
		w.close()
		return nil, err
	}
	if w.st, err = store.Open(w.dir, store.Options{Logger: logger}); err != nil {
		w.close()
		return nil, err
	}
	w.closers = append(w.closers, func() { _ = w.st.Close() })
	if err := w.st.PutConnection(store.Connection{Status: store.ConnActive, StoreURL: wooSrv.URL, WCVersion: "10.0.2", Currency: "USD", WeightUnit: "kg"}); err != nil {
		w.close()
		return nil, err
	}
	if w.eng, err = syncer.New(syncer.Config{Store: w.st, Woo: w.wc, OCW: oc, Logger: logger, ReconcileInterval: time.Hour}); err != nil {
		w.close()
		return nil, err
	}
	w.edge = httptest.NewServer(httpapi.New(httpapi.Deps{Store: w.st, Secret: []byte(benchShared), Logger: logger, Jobs: w.eng}).Handler())
	w.closers = append(w.closers, w.edge.Close, w.eng.Stop)
	return w, nil
}

// close undoes newWorld, last first.
func (w *world) close() {
	for i := len(w.closers) - 1; i >= 0; i-- {
		w.closers[i]()
	}
}

// watchUpserts tells w.answered, once the simulator answered an
// orders:upsert, which orders it carried.
func (w *world) watchUpserts(next http.Handler) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/woocommerce/orders:upsert" {
			next.ServeHTTP(rw, r)
			return
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r.Body)
		r.Body.Close()
		r.Body = readCloser{bytes.NewReader(buf.Bytes())}
		next.ServeHTTP(rw, r)
		var body struct {
			Orders []struct {
				ID int64 `json:"woo_order_id"`
			} `json:"orders"`
		}
		if json.Unmarshal(buf.Bytes(), &body) != nil {
			return
		}
		ids := make([]int64, len(body.Orders))
		for i, o := range body.Orders {
			ids[i] = o.ID
		}
		mu.Lock()
		defer mu.Unlock()
		if w.answered != nil {
			w.answered(ids)
		}
	})
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// deliver posts a signed order delivery to the edge and returns once it was
// accepted (200).
func (w *world) deliver(client *http.Client, topic string, body []byte, seq int) error {
	mac := hmac.New(sha256.New, []byte(benchShared))
	mac.Write(body)
	req, err := http.NewRequest(http.MethodPost, w.edge.URL+"/v1/webhooks/woocommerce", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-WC-Webhook-Topic", topic)
	req.Header.Set("X-WC-Webhook-Resource", "order")
	req.Header.Set("X-WC-Webhook-Event", "updated")
	req.Header.Set("X-WC-Webhook-ID", "1")
	req.Header.Set("X-WC-Webhook-Delivery-ID", strconv.Itoa(seq))
	req.Header.Set("X-WC-Webhook-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("delivery answered %d", resp.StatusCode)
	}
	return nil
}
