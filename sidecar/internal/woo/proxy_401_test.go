package woo

import (
	"errors"
	"net/http"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// A 401 or 403 that carries no WooCommerce error code (a proxy's HTML page,
// HTTP auth in front of WordPress) still means "regenerate the key", not an
// unreadable answer or a bad request.
func TestProxyUnauthorizedWithoutCodeMeansRegenerateKey(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		sim, srv := startSim(t, woosim.Options{}, true)
		p, ok := sim.ProductBySKU("WINE-PIN-2022-750")
		if !ok {
			t.Fatal("lab catalog has no WINE-PIN-2022-750")
		}
		sim.InjectFault(woosim.Fault{PathPrefix: "/wp-json/wc/v3/products", Status: status, Proxy: true})
		c, _ := simClient(t, srv, nil)
		_, err := c.Product(ctxT(t), p.ID)
		var we *Error
		if !errors.As(err, &we) {
			t.Fatalf("%d: error %v is not a *woo.Error", status, err)
		}
		if !errors.Is(err, ErrUnauthorized) || we.Code != CodeUnauthorized || we.Fix != FixUnauthorized || we.WooCode != "" {
			t.Errorf("%d without a WooCommerce code → %+v, want %s with the fix %q", status, we, CodeUnauthorized, FixUnauthorized)
		}
	}
}

// The same, at the mapping: an empty body is enough.
func TestMapStatusUnauthorizedWithoutCode(t *testing.T) {
	t.Parallel()
	for _, status := range []int{401, 403} {
		if e := mapStatus(status, wooErrorBody{}, http.MethodGet, "products/13"); e.Code != CodeUnauthorized {
			t.Errorf("%d with no code → %s, want %s", status, e.Code, CodeUnauthorized)
		}
	}
}
