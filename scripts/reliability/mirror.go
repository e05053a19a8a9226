package main

import (
	"context"
	"fmt"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

// mirrorStorm has paid release orders arrive in OnCloudWine while the
// sidecar is killed and restarted, and returns how many it added and the
// WooCommerce order count before them.
func (st *storm) mirrorStorm(ctx context.Context, n int, phase time.Duration) (added, ordersBefore int, err error) {
	ordersBefore = len(st.w.woo.Orders())
	addCtx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		i := 0
		for ; i < n && addCtx.Err() == nil; i++ {
			sku := st.syncSKUs[i%len(st.syncSKUs)]
			email := fmt.Sprintf("member%03d@example.com", i)
			addr := ocwsim.Address{FirstName: "Member", LastName: fmt.Sprint(i), Address1: "Rua 1", City: "Porto", Postcode: "4000-001", Country: "PT", Email: email}
			st.w.ocw.AddReleaseOrder(ocwsim.ReleaseOrder{
				ID: fmt.Sprintf("ro_storm_%03d", i), ReleaseID: "rel_storm",
				Customer: ocwsim.ReleaseCustomer{Email: email, FirstName: "Member", LastName: fmt.Sprint(i)},
				Billing:  addr, Shipping: addr,
				LineItems: []ocwsim.ReleaseLineItem{{SKU: sku, Quantity: 1 + i%3, UnitPrice: "19.00"}}, ShippingTotal: "5.00",
			})
			select {
			case <-addCtx.Done():
			case <-time.After(phase / time.Duration(n)): // the pace of payments, not a wait for anything
			}
		}
		done <- i
	}()
	err = st.killFor(ctx, phase)
	stop()
	return <-done, ordersBefore, err
}

// mirrorConverged waits until every added release order is reported SYNCED
// and returns how many WooCommerce orders more than one per release order
// the mirroring made.
func (st *storm) mirrorConverged(ctx context.Context, added, ordersBefore int, within time.Duration) (int, error) {
	err := poll(ctx, within, fmt.Sprintf("%d release orders mirrored", added), func() (bool, error) {
		reps := st.w.ocw.MirrorReports()
		for i := 0; i < added; i++ {
			if reps[fmt.Sprintf("ro_storm_%03d", i)].Status != "SYNCED" {
				return false, nil
			}
		}
		return true, nil
	})
	extra := len(st.w.woo.Orders()) - ordersBefore - added
	return max(extra, 0), err
}
