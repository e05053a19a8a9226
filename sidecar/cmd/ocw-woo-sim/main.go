// Command ocw-woo-sim serves the WooCommerce simulator (sidecar/sim/woosim) on a
// TCP address, over plain HTTP or HTTPS with a self-signed CA, for the demo,
// the benchmarks and people trying the sidecar.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ocw-woo-sim:", err)
		stop()
		os.Exit(1)
	}
}
