package syncer

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// admin calls the sidecar's admin API as the plugin does.
func (x *e2e) admin(method, path, body string, out any) int {
	x.t.Helper()
	var rd *bytes.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(x.t.Context(), method, x.edge.URL+path, rd)
	if err != nil {
		x.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e2eShared)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		x.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			x.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// SYNC_WOOCOMMERCE_ORDERS from the admin API: every paid order created since
// the date goes to OnCloudWine, unpaid and mirrored ones do not; items and
// status counts show them; a second run sends nothing again.
func TestE2EOrdersBackfillJob(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	x.start()
	cab, _ := x.woo.ProductBySKU("WINE-CABR-2021-750")
	if _, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 1}},
		Meta: map[string]string{metaReleaseOrderID: "ro_7"}}); err != nil {
		t.Fatal(err)
	}
	paidGuest, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	var want []int64 // oracle: the simulator's own paid orders
	for id := int64(1); id < 2000; id++ {
		o, ok := x.woo.Order(id)
		if !ok {
			continue
		}
		mirror := false
		for _, m := range o.MetaData {
			mirror = mirror || m.Key == metaReleaseOrderID
		}
		if (o.Status == "processing" || o.Status == "completed") && o.DatePaid != nil && !mirror {
			want = append(want, id)
		}
	}
	if len(want) < 3 {
		t.Fatalf("the lab should hold paid orders: %v", want)
	}

	for _, bad := range []string{
		`{"type":"SYNC_WOOCOMMERCE_ORDERS","since":"yesterday"}`,
		`{"type":"SYNC_WOOCOMMERCE_ORDERS","since":"2999-01-01"}`,
		`{"type":"SYNC_WOOCOMMERCE_PRODUCTS","since":"2026-01-01"}`,
	} {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if code := x.admin(http.MethodPost, "/v1/jobs", bad, &e); code != http.StatusBadRequest || e.Error.Code != "invalid_param" {
			t.Errorf("%s → %d %+v, want 400 invalid_param", bad, code, e)
		}
	}
	since := time.Now().UTC().Add(-24 * time.Hour).Format(time.DateOnly)
	var job store.Job
	if code := x.admin(http.MethodPost, "/v1/jobs", `{"type":"SYNC_WOOCOMMERCE_ORDERS","since":"`+since+`"}`, &job); code != http.StatusAccepted {
		t.Fatalf("POST /v1/jobs → %d %+v", code, job)
	}
	if job.Since == nil || job.Since.Format(time.DateOnly) != since {
		t.Errorf("job since %v, want %s", job.Since, since)
	}
	testutil.Eventually(t, "the order job finished", func() bool {
		x.admin(http.MethodGet, "/v1/jobs/"+job.ID, "", &job)
		return !job.Active()
	})
	if job.State != store.JobSucceeded || job.Progress.Done < len(want)+2 || job.Progress.Done != job.Progress.Total {
		t.Fatalf("job %+v", job)
	}
	got := x.ocw.Orders()
	if len(got) != len(want) {
		t.Errorf("OnCloudWine has %d orders, want the %d paid ones %v", len(got), len(want), want)
	}
	for _, id := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("paid order %d not sent", id)
		}
	}
	if _, ok := got[paidGuest]; !ok {
		t.Error("the guest order placed before the job was not sent")
	}
	var items struct {
		Items []store.Item `json:"items"`
	}
	x.admin(http.MethodGet, "/v1/items?kind=order&status=SYNCED", "", &items)
	if len(items.Items) != len(want) || !strings.HasPrefix(items.Items[0].Name, "Order #") {
		t.Errorf("items %+v", items.Items)
	}
	var st store.Status
	x.admin(http.MethodGet, "/v1/status", "", &st)
	if st.ItemsByKind[store.ItemKindOrder][store.StatusSynced] != len(want) || st.Cursors[store.CursorOrders] == "" {
		t.Errorf("status items_by_kind %v cursors %v", st.ItemsByKind, st.Cursors)
	}

	calls := x.ocw.Calls(ordersUpsert)
	again, err := x.eng.RunJobSince(t.Context(), store.JobSyncOrders, time.Now().Add(-48*time.Hour), nil)
	if err != nil || again.State != store.JobSucceeded {
		t.Fatalf("second run %+v %v", again, err)
	}
	if n := x.ocw.Calls(ordersUpsert); n != calls {
		t.Errorf("a second backfill made %d orders:upsert calls, want 0", n-calls)
	}
}
