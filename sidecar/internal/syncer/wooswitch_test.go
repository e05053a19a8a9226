package syncer

import (
	"errors"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

func TestWooSwitch(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	sw := &WooSwitch{}
	eng, err := New(Config{Store: x.store, Woo: sw, OCW: x.oc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Stop)
	job, err := eng.RunJob(t.Context(), store.JobSyncProducts, nil)
	if !errors.Is(err, ErrWooNotConnected) || job.State != store.JobFailed {
		t.Fatalf("before connecting: job %+v, err %v", job, err)
	}
	sw.Set(x.wc)
	if sw.Client() != x.wc {
		t.Fatal("Client() does not return what was Set")
	}
	job, err = eng.RunJob(t.Context(), store.JobSyncProducts, nil)
	if err != nil || job.State != store.JobSucceeded || job.Progress.Total == 0 {
		t.Fatalf("after connecting: job %+v, err %v", job, err)
	}
	if n := len(x.ocw.Variants()); n != len(learnLab(t, x.woo).variants) {
		t.Errorf("%d variants synced through the switch", n)
	}
	job, err = eng.RunJob(t.Context(), store.JobSyncStock, nil)
	if err != nil || job.State != store.JobSucceeded {
		t.Errorf("stock through the switch: %+v, %v", job, err)
	}
}
