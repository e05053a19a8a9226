package main

import (
	"errors"
	"maps"
	"testing"
)

func TestSyncRequest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want map[string]string
	}{
		{[]string{"products"}, map[string]string{"type": "SYNC_WOOCOMMERCE_PRODUCTS"}},
		{[]string{"stock"}, map[string]string{"type": "SYNC_WOOCOMMERCE_STOCK"}},
		{[]string{"orders"}, map[string]string{"type": "SYNC_WOOCOMMERCE_ORDERS"}},
		{[]string{"orders", "--since", "2026-11-01"}, map[string]string{"type": "SYNC_WOOCOMMERCE_ORDERS", "since": "2026-11-01"}},
		{[]string{"orders", "--since=2026-11-01T00:00:00Z"}, map[string]string{"type": "SYNC_WOOCOMMERCE_ORDERS", "since": "2026-11-01T00:00:00Z"}},
	} {
		got, err := syncRequest(tt.args)
		if err != nil || !maps.Equal(got, tt.want) {
			t.Errorf("%v → %v, %v; want %v", tt.args, got, err, tt.want)
		}
	}
	for _, bad := range [][]string{nil, {"customers"}, {"products", "--since", "2026-11-01"}, {"orders", "--since"}, {"orders", "--since", "last week"}, {"orders", "extra"}} {
		if _, err := syncRequest(bad); !errors.Is(err, errUsage) {
			t.Errorf("%v → %v, want a usage error", bad, err)
		}
	}
}
