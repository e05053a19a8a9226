package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/adminclient"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// TestKill9DuringStockRunOversellsNothing: the real binary is killed (-9)
// while a stock run's stock:update is in flight (OnCloudWine applies it, the
// answer is lost); while it is down a sale lowers another level and
// OnCloudWine reserves bottles. After the restart the resumed run and the
// reservation poller bring every level to exactly WooCommerce's stock minus
// the reservations.
func TestKill9DuringStockRunOversellsNothing(t *testing.T) {
	bin := buildBinary(t)
	ws, err := woosim.New(woosim.Options{ConsumerKey: "ck_ocw_woo_sim", ConsumerSecret: "cs_ocw_woo_sim", Products: 6, Variations: 2,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ws.Close)
	wooSrv := httptest.NewServer(ws.Handler())
	t.Cleanup(wooSrv.Close)
	ocw := ocwsim.New(ocwsim.Options{Logger: slog.New(slog.DiscardHandler)})
	var (
		hold    atomic.Bool
		arrived = make(chan struct{}, 1)
		release = make(chan struct{})
	)
	apiSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/woocommerce/stock:update" && hold.CompareAndSwap(true, false) {
			arrived <- struct{}{}
			<-release // the sidecar dies meanwhile; OnCloudWine still applies the call
		}
		ocw.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(apiSrv.Close)
	dataDir, addr := t.TempDir(), freeAddr(t)
	start := func() *exec.Cmd {
		var stderr syncBuffer
		return startSimSidecar(t, bin, dataDir, addr, wooSrv.URL, apiSrv.URL, &stderr)
	}
	client := adminclient.New(addr, testSecret)
	ctx := t.Context()
	cmd := start()
	if err := client.WaitHealthy(ctx, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	runJob(t, client, store.JobSyncProducts)
	runJob(t, client, store.JobSyncStock)
	skus := ownStockSKUs(t, ws, ocw)
	if len(skus) < 4 {
		t.Fatalf("only %d SKUs with their own stock synced: %v", len(skus), skus)
	}
	if bad := wrongLevels(ws, ocw, skus); len(bad) > 0 {
		t.Fatalf("after the first stock run: %v", bad)
	}

	// A sale, then a stock run killed while its stock:update is in flight.
	setStock(t, ws, skus[0], -1)
	hold.Store(true)
	var job store.Job
	if err := client.Do(ctx, http.MethodPost, "/v1/jobs", map[string]string{"type": store.JobSyncStock}, &job); err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("the stock run sent nothing")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(release)

	// While it is down: another sale and a reservation.
	setStock(t, ws, skus[1], -2)
	ocw.SetReservation(skus[2], 2)
	start()
	if !testutil.Within(60*time.Second, func() bool { return len(wrongLevels(ws, ocw, skus)) == 0 }) {
		t.Fatalf("60 s after the restart OnCloudWine still holds: %v", wrongLevels(ws, ocw, skus))
	}
	// The levels may be right before the resumed run ends (the reconcile
	// and reservation polls at start apply them too): wait for it.
	var got store.Job
	ended := func() bool {
		return client.Do(ctx, http.MethodGet, "/v1/jobs/"+job.ID, nil, &got) == nil && !got.Active()
	}
	if !testutil.Within(60*time.Second, ended) {
		t.Fatalf("the stock run killed is still %q 60 s after the restart", got.State)
	}
	if got.State != store.JobSucceeded {
		t.Errorf("the stock run killed was not resumed to its end: %+v", got)
	}
	if bad := wrongLevels(ws, ocw, skus); len(bad) > 0 {
		t.Errorf("after the resumed run: %v", bad)
	}
}

func runJob(t *testing.T, client *adminclient.Client, typ string) {
	t.Helper()
	var job store.Job
	if err := client.Do(t.Context(), http.MethodPost, "/v1/jobs", map[string]string{"type": typ}, &job); err != nil {
		t.Fatal(err)
	}
	ended := func() bool {
		return client.Do(t.Context(), http.MethodGet, "/v1/jobs/"+job.ID, nil, &job) == nil && !job.Active()
	}
	if !testutil.Within(60*time.Second, ended) {
		t.Fatalf("%s still %s after 60 s", typ, job.State)
	}
	if job.State != store.JobSucceeded {
		t.Fatalf("%s: %s %s", typ, job.State, job.Error)
	}
}

// ownStockSKUs are the SKUs OnCloudWine holds a level of whose product or
// variation manages its own stock.
func ownStockSKUs(t *testing.T, ws *woosim.Sim, ocw *ocwsim.Sim) []string {
	t.Helper()
	var out []string
	for sku := range ocw.Stock() {
		if p, ok := ws.ProductBySKU(sku); ok && p.ManageStock && p.StockQuantity != nil && *p.StockQuantity >= 3 {
			out = append(out, sku)
		}
	}
	slices.Sort(out)
	return out
}

func setStock(t *testing.T, ws *woosim.Sim, sku string, by int) {
	t.Helper()
	p, _ := ws.ProductBySKU(sku)
	if err := ws.SetStock(p.ID, *p.StockQuantity+by); err != nil {
		t.Fatal(err)
	}
}

// wrongLevels lists the SKUs whose level in OnCloudWine is not WooCommerce's
// stock minus OnCloudWine's reservations.
func wrongLevels(ws *woosim.Sim, ocw *ocwsim.Sim, skus []string) []string {
	reserved := map[string]int{}
	for _, r := range ocw.Reservations() {
		reserved[r.SKU] = r.Quantity
	}
	levels := ocw.Stock()
	var bad []string
	for _, sku := range skus {
		p, _ := ws.ProductBySKU(sku)
		l := levels[sku]
		q, r := *p.StockQuantity, reserved[sku]
		if l.OnHand != q || l.Reserved != r || l.Available != max(0, q-r) {
			bad = append(bad, fmt.Sprintf("%s: on hand %d reserved %d available %d, want %d %d %d", sku, l.OnHand, l.Reserved, l.Available, q, r, max(0, q-r)))
		}
	}
	return bad
}
