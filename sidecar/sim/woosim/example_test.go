package woosim_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// A WooCommerce 10.0.2 store with the lab catalog, served over HTTPS (Basic
// auth works only over HTTPS, like WooCommerce).
func Example() {
	sim, err := woosim.New(woosim.Options{ConsumerKey: "ck_demo", ConsumerSecret: "cs_demo"})
	if err != nil {
		panic(err)
	}
	defer sim.Close()
	srv := httptest.NewTLSServer(sim.Handler())
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/wp-json/wc/v3/products?per_page=100&_fields=id,sku", nil)
	req.SetBasicAuth("ck_demo", "cs_demo")
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("X-WP-Total"), resp.Header.Get("X-WP-TotalPages"))
	fmt.Println(sim.RequestCount("/wc/v3/products"))
	// Output:
	// 200 32 1
	// 1
}
