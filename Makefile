# OnCloudWine for WooCommerce — build, test, demo, bench.
# `make demo` and `make test` are the two commands a newcomer runs (README).

GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
FUZZTIME    ?= 20s
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
BINARIES    := bin/ocw-sidecar bin/ocw-woo-sim bin/ocw-api-sim
PLUGIN_ZIP  := dist/oncloudwine-for-woocommerce.zip
# The WordPress smoke test writes a Debian WordPress host config: root, or sudo.
AS_ROOT     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build demo test test-deps test-go test-fuzz test-php test-reliability reliability e2e lint bench bench-go bench-php bench-e2e clean FORCE

build: $(BINARIES) $(PLUGIN_ZIP)

bin/%: FORCE
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $@ ./sidecar/cmd/$*

$(PLUGIN_ZIP): FORCE
	scripts/php-zip.sh $@

# The main job on embedded defaults: both simulators and the sidecar on
# loopback, a full sync, a price edit by webhook, stock, FAILED items, summary.
demo: bin/ocw-sidecar
	./bin/ocw-sidecar demo

test: test-deps lint test-go test-fuzz test-php test-reliability e2e

# PHP, PHPUnit, WordPress and MariaDB from Debian's packages, when missing.
test-deps:
	scripts/install-test-deps.sh

lint:
	@unformatted=$$(gofmt -l sidecar scripts); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

test-go:
	$(GO) test -race -count=1 ./...

# Signature check + payload parsing, seeded from the captured deliveries.
test-fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzVerifyAndParse$$' -fuzztime $(FUZZTIME) ./sidecar/internal/webhook

# php -l, PHPUnit, .pot and zip checks, then a real WordPress (Debian's package
# on MariaDB) activating the plugin with WooCommerce absent.
test-php:
	scripts/php-test.sh
	$(AS_ROOT) scripts/wp-smoke.sh

# Two real stores (WordPress 6.8.8 + WooCommerce 10.0.2 with HPOS; Debian's WordPress 6.1 +
# WooCommerce 6.9.0) behind nginx + PHP-FPM on HTTPS, with the plugin zip, the sidecar and
# the OnCloudWine simulator: the whole scenario through wp-admin and the storefront.
# Everything runs in a temporary folder and is stopped at the end (scripts/e2e/README.md).
e2e: build
	scripts/e2e/run.sh

# Crash storms, outages, hostile inputs and memory under attack, against the
# built binary on loopback: `reliability: <name> PASS|FAIL <detail>` lines,
# ending "N passed, M failed". make test runs the short version.
reliability: bin/ocw-sidecar
	$(GO) run ./scripts/reliability --bin bin/ocw-sidecar

test-reliability: bin/ocw-sidecar
	$(GO) run ./scripts/reliability --bin bin/ocw-sidecar --short

# Every figure the issues ask for, one `bench: <name> <value> <unit>` per line.
bench: bench-go bench-php bench-e2e

bench-go: bin/ocw-sidecar
	$(GO) run ./sidecar/bench/webhook --bin bin/ocw-sidecar
	$(GO) run ./sidecar/bench/woolist
	$(GO) run ./sidecar/bench/sync
	$(GO) run ./sidecar/bench/sync -modes stock
	$(GO) run ./sidecar/bench/orders
	$(GO) run ./sidecar/bench/mirror
	$(GO) test -run '^$$' -bench 'UpsertVariants1000' ./sidecar/internal/oncloudwine/

bench-php:
	$(AS_ROOT) scripts/wp-smoke-bench.sh

# The e2e scenario with its timings: price/stock edit to OnCloudWine, a wp-admin save with
# the sidecar down, a 500-product page of the catalog route.
bench-e2e: build
	scripts/e2e/run.sh --bench

clean:
	rm -rf bin dist
