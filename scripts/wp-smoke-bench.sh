#!/usr/bin/env bash
# The smoke test of scripts/wp-smoke.sh plus a timing of the plugin's stock and catalog
# routes on a large catalog seeded into MariaDB (default 5,000 variable products × 4
# variations = 25,000 rows, like the lab store). Override with OCW_BENCH_PRODUCTS and
# OCW_BENCH_VARIATIONS.
set -euo pipefail
OCW_SMOKE_BENCH=1 exec "$(dirname "${BASH_SOURCE[0]}")/wp-smoke.sh" "$@"
