// Command ocw-sidecar keeps a WooCommerce store and an OnCloudWine account in
// sync. main only parses the command line and wires; the work lives in
// sidecar/internal.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			fmt.Fprintln(os.Stderr, "ocw-sidecar:", ce.Error())
			os.Exit(2)
		}
		if errors.Is(err, errUsage) {
			if err != errUsage { // the bare error follows a usage text already printed
				fmt.Fprintln(os.Stderr, "ocw-sidecar:", err)
			}
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "ocw-sidecar:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("see ocw-sidecar --help")

const usage = `ocw-sidecar keeps WooCommerce and OnCloudWine in sync.

Usage:
  ocw-sidecar [serve]          run the sidecar (webhooks, admin API, sync engine)
  ocw-sidecar demo             run the whole story on simulators and exit
  ocw-sidecar sync products    run SYNC_WOOCOMMERCE_PRODUCTS now (through the running server)
  ocw-sidecar sync stock       run SYNC_WOOCOMMERCE_STOCK now (through the running server)
  ocw-sidecar sync orders [--since DATE]
                               run SYNC_WOOCOMMERCE_ORDERS: send the paid orders created
                               since DATE (YYYY-MM-DD; default the last 30 days)
  ocw-sidecar mirror backfill --since DATE
                               mirror the paid release orders since DATE (through the running server)
  ocw-sidecar status [--json]  show connection, item counts, jobs and queues
  ocw-sidecar backup FILE      write a consistent copy of the database to FILE
  ocw-sidecar compact          rewrite the stopped server's database without free pages
  ocw-sidecar healthcheck      exit 0 when the local server answers /healthz
  ocw-sidecar version          print the version

Configuration comes from OCW_* environment variables; see the README.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	// demo has flags of its own: its flag set prints them for --help.
	for _, a := range args {
		if cmd != "demo" && (a == "-h" || a == "--help" || a == "help") {
			fmt.Fprint(stdout, usage)
			return nil
		}
	}
	switch cmd {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "ocw-sidecar", version)
		return nil
	case "serve":
		return cmdServe(ctx, stderr)
	case "status":
		return cmdStatus(ctx, args, stdout)
	case "backup":
		return cmdBackup(ctx, args, stdout)
	case "compact":
		return cmdCompact(stdout)
	case "healthcheck":
		return cmdHealthcheck(ctx)
	case "sync":
		return cmdSync(ctx, args, stdout)
	case "mirror":
		return cmdMirror(ctx, args, stdout)
	case "demo":
		return cmdDemo(ctx, args, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "ocw-sidecar: unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}
