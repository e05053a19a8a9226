package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/adminclient"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// TestMirrorCrashExactlyOnce is the acceptance's crash test on the real
// binary: 200 release orders in a row, every WooCommerce create answered
// badly after the order was made — a 500, a timeout (the store answers
// after OCW_WOO_TIMEOUT), or an answer held while the sidecar is killed
// with SIGKILL and restarted (every tenth). In the end WooCommerce holds
// exactly one order per release order, and OnCloudWine has each reported
// SYNCED with that order's id.
func TestMirrorCrashExactlyOnce(t *testing.T) {
	const total, holdEvery = 200, 10
	bin := buildBinary(t)
	ws, err := woosim.New(woosim.Options{ConsumerKey: "ck_ocw_woo_sim", ConsumerSecret: "cs_ocw_woo_sim", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ws.Close)
	wooSrv := httptest.NewServer(ws.Handler())
	t.Cleanup(wooSrv.Close)
	api := ocwsim.New(ocwsim.Options{Logger: slog.New(slog.DiscardHandler)})
	apiSrv := httptest.NewServer(api.Handler())
	t.Cleanup(apiSrv.Close)

	held := make(chan struct{}, total)
	neverAnswered := make(chan struct{}) // closed at the end: held answers go away
	t.Cleanup(func() { close(neverAnswered) })
	ids := make([]string, total)
	for i := range total {
		ro := api.AddReleaseOrder(ocwsim.ReleaseOrder{ReleaseID: "rel_crash",
			Customer:  ocwsim.ReleaseCustomer{Email: fmt.Sprintf("member%d@example.com", i%7), FirstName: "M", LastName: "C"},
			LineItems: []ocwsim.ReleaseLineItem{{SKU: "WINE-PRO-NV-750", Quantity: 1, UnitPrice: "12.00"}}})
		ids[i] = ro.ID
		f := woosim.Fault{PathPrefix: "/wp-json/wc/v3/orders", Method: http.MethodPost, AfterEffect: true, Times: 1}
		switch {
		case i%holdEvery == holdEvery-1:
			f.Hold, f.Hit = neverAnswered, func() { held <- struct{}{} }
		case i%2 == 0:
			f.Status = http.StatusInternalServerError
		default:
			f.Delay = 3 * time.Second // longer than OCW_WOO_TIMEOUT
		}
		ws.InjectFault(f)
	}
	before := len(ws.Orders())

	dataDir, addr := t.TempDir(), freeAddr(t)
	var stderr syncBuffer
	start := func() *exec.Cmd {
		cmd := startSimSidecar(t, bin, dataDir, addr, wooSrv.URL, apiSrv.URL, &stderr,
			"OCW_WOO_TIMEOUT=1s", "OCW_MIRROR_RELEASE_ORDERS=true", "OCW_RELEASE_POLL_INTERVAL=1s")
		if err := adminclient.New(addr, testSecret).WaitHealthy(context.Background(), 20*time.Second); err != nil {
			t.Fatalf("sidecar not healthy: %v\n%s", err, stderr.String())
		}
		return cmd
	}
	cmd := start()
	client := adminclient.New(addr, testSecret)
	var bf struct {
		NewReleaseOrders int `json:"new_release_orders"`
	}
	if err := client.Do(context.Background(), http.MethodPost, "/v1/mirror/backfill", map[string]string{"since": "2000-01-01"}, &bf); err != nil {
		t.Fatalf("backfill: %v\n%s", err, stderr.String())
	}
	if bf.NewReleaseOrders != total {
		t.Fatalf("backfill brought %d release orders, want %d", bf.NewReleaseOrders, total)
	}
	for k := range total / holdEvery {
		select {
		case <-held:
		case <-time.After(90 * time.Second):
			t.Fatalf("hold %d never reached\n%s", k+1, stderr.String())
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL while WooCommerce holds the answer
			t.Fatal(err)
		}
		_ = cmd.Wait()
		cmd = start()
	}
	synced := 0
	allSynced := func() bool {
		reports := api.MirrorReports()
		synced = 0
		for _, id := range ids {
			if reports[id].Status == "SYNCED" {
				synced++
			}
		}
		return synced == total
	}
	if !testutil.Within(3*time.Minute, allSynced) {
		t.Fatalf("%d of %d release orders reported SYNCED\n%s", synced, total, stderr.String())
	}
	perRelease := map[string][]int64{}
	for _, o := range ws.Orders() {
		for _, m := range o.MetaData {
			if v, ok := m.Value.(string); ok && m.Key == "_oncloudwine_release_order_id" {
				perRelease[v] = append(perRelease[v], o.ID)
			}
		}
	}
	reports := api.MirrorReports()
	for _, id := range ids {
		got := perRelease[id]
		if len(got) != 1 {
			t.Errorf("release order %s: WooCommerce orders %v, want exactly one", id, got)
			continue
		}
		if reports[id].WooOrderID != got[0] {
			t.Errorf("release order %s reported as order %d, WooCommerce has %d", id, reports[id].WooOrderID, got[0])
		}
	}
	if n := len(ws.Orders()) - before; n != total {
		t.Errorf("%d new WooCommerce orders, want %d", n, total)
	}
}
