#!/usr/bin/env bash
# make e2e: two real stores on this machine and the whole product against them.
#
#   store a: WordPress 6.8.8 + WooCommerce 10.0.2 (HPOS order tables, block checkout)
#   store b: Debian's `wordpress` package (6.1.x) + WooCommerce 6.9.0 (posts tables, classic checkout)
#
# Each behind nginx + PHP-FPM (4 workers) on HTTPS with a CA made for the run, pretty
# permalinks, one MariaDB of the run's own; a sidecar and an OnCloudWine simulator per store
# on loopback. Everything lives in $E2E_DIR (default: a new /tmp/ocw-e2e.* folder) and is
# stopped when the script ends, also on failure or Ctrl-C.
#
# Usage: scripts/e2e/run.sh [--bench] [--keep] [--stores a,b] [--steps name,name]
#   --bench        also run the timing steps and print `bench:` lines (make bench-e2e)
#   --keep         keep the stores up after the steps until Ctrl-C (same as E2E_KEEP=1)
#   --stores LIST  only these stores (default a,b)
#   --steps LIST   only these steps (names as printed; default all)
#   --attach DIR   run the steps on the stores of a run kept up with --keep in DIR
#                  (builds nothing, stops nothing)
# Environment: E2E_DIR, E2E_PORT_BASE (default 18400; the run uses base+1..base+13),
# E2E_VENDOR (default ../shared/vendor), E2E_KEEP, E2E_PLUGIN_ZIP (default
# dist/oncloudwine-for-woocommerce.zip: the zip `make build` makes).
#
# Prints one line `e2e: <store> <step> PASS|FAIL <detail>` per step, then `N passed, M failed`;
# exits non-zero on any failure. See scripts/e2e/README.md.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

E2E_BENCH=0
E2E_KEEP="${E2E_KEEP:-0}"
only_stores="a,b"
only_steps=""
attach=""
while [ $# -gt 0 ]; do
	case "$1" in
	--bench) E2E_BENCH=1 ;;
	--keep) E2E_KEEP=1 ;;
	--stores) only_stores="$2" && shift ;;
	--steps) only_steps="$2" && shift ;;
	--attach) attach="$2" && shift ;;
	-h | --help)
		sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) e2e_die "unknown argument $1 (see --help)" ;;
	esac
	shift
done
export E2E_BENCH

# build_stores: the CA, MariaDB, both stores' files and databases, PHP-FPM, nginx, the
# simulators and the sidecars. Store facts are saved in $E2E_DIR/facts.sh for --attach.
build_stores() {
	local bin f off id pid install_pids=()
	for bin in php php-fpm8.2 nginx mariadbd mariadb-install-db mariadb openssl curl jq unzip; do
		command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] ||
			e2e_die "$bin is missing: run scripts/install-test-deps.sh (as root)"
	done
	for f in bin/ocw-sidecar bin/ocw-api-sim; do
		[ -f "$E2E_ROOT/$f" ] || e2e_die "$f is missing: run make build first (make e2e does)"
	done
	[ -f "$E2E_PLUGIN_ZIP" ] || e2e_die "$E2E_PLUGIN_ZIP is missing: run make build first (make e2e does)"
	for off in 1 2 3 11 12 13; do
		port_free "$(port $off)" || e2e_die "port $(port $off) is in use: set E2E_PORT_BASE to another base"
	done
	local wp68 wc10 wc69
	wp68="$(vendor_archive wordpress-6.8.8.tar.xz 5cfc29114e8e1d79ff9a8999b9f66a244de497f701952979c86514a0c86749ee \
		https://wordpress.org/wordpress-6.8.8.tar.gz)" || exit 1
	wc10="$(vendor_archive woocommerce-10.0.2.tar.xz 37583ea9f98d148be7c8c35d06131aa0a27fa21137481c72f6f9655e0d7fb128 \
		https://downloads.wordpress.org/plugin/woocommerce.10.0.2.zip)" || exit 1
	wc69="$(vendor_archive woocommerce-6.9.0.tar.xz 884aa6dd161b8a0e3e8bc1de6b4cf4cd05c35b635bc0201201978791f6218d40 \
		https://downloads.wordpress.org/plugin/woocommerce.6.9.0.zip)" || exit 1
	[ -f /usr/share/wordpress/wp-load.php ] || e2e_die "Debian's wordpress package is missing: run scripts/install-test-deps.sh"

	make_ca
	start_mariadb
	store_define a "A" 1
	store_define b "B" 11
	for id in "${store_ids[@]}"; do
		if [ "$id" = a ]; then
			store_lay_out a "$wp68" "$wc10"
		else
			store_lay_out b /usr/share/wordpress "$wc69"
		fi
		store_write_config "$id"
	done
	printf '[global]\npid = %s\nerror_log = %s\ndaemonize = no\n' "$E2E_DIR/run/php-fpm.pid" "$E2E_DIR/logs/php-fpm.log" >"$E2E_DIR/php-fpm.conf"
	nginx_head
	for id in "${store_ids[@]}"; do
		write_fpm_pool "$id"
		write_nginx_server "$id"
	done
	start_php_fpm "${store_ids[@]}"
	# Both installs at once: each is mostly one PHP process and MariaDB.
	for id in "${store_ids[@]}"; do
		(store_install "$id" && store_get "$id" wc >"$E2E_DIR/store-$id/wc-version") &
		install_pids+=("$!")
	done
	for pid in "${install_pids[@]}"; do
		wait "$pid" || e2e_die "a store install failed (see $E2E_DIR/logs/install-*.log)"
	done
	for id in "${store_ids[@]}"; do
		store_set "$id" wc "$(cat "$E2E_DIR/store-$id/wc-version")"
		e2e_log "store $id: WordPress $(store_get "$id" wp) + WooCommerce $(store_get "$id" wc) at $(store_get "$id" url) ($(grep -o 'orders in .*' "$E2E_DIR/logs/install-$id.log"))"
	done
	start_nginx "${store_ids[@]}"
	for id in "${store_ids[@]}"; do
		start_sim "$id"
		start_sidecar "$id"
	done
	# shellcheck disable=SC2046
	declare -p $(compgen -v e2e_) >"$E2E_DIR/facts.sh"
	echo "${store_ids[*]}" >"$E2E_DIR/store-ids"
}

# run_steps <id>: every registered step, in order, on one store.
run_steps() {
	local id="$1" step
	for step in "${E2E_STEPS[@]}"; do
		if [ -n "$only_steps" ]; then
			case ",$only_steps," in *,"$step",*) ;; *) continue ;; esac
		fi
		"step_${step//-/_}" "$id"
	done
}

started=$(date +%s)
store_ids=()
if [ -n "$attach" ]; then
	E2E_DIR="$attach"
	[ -f "$E2E_DIR/facts.sh" ] || e2e_die "$E2E_DIR/facts.sh is missing: start the stores with --keep first"
	# shellcheck source=/dev/null
	source "$E2E_DIR/facts.sh"
	E2E_KEEP=0
	read -r -a kept <"$E2E_DIR/store-ids"
	for id in "${kept[@]}"; do
		case ",$only_stores," in *,"$id",*) store_ids+=("$id") ;; esac
	done
else
	case ",$only_stores," in *,a,*) store_ids+=(a) ;; esac
	case ",$only_stores," in *,b,*) store_ids+=(b) ;; esac
fi
[ ${#store_ids[@]} -gt 0 ] || e2e_die "--stores names no store (a, b)"
E2E_DIR_MADE=0
if [ -z "${E2E_DIR:-}" ]; then
	E2E_DIR="$(mktemp -d /tmp/ocw-e2e.XXXXXX)"
	[ "$E2E_KEEP" = 1 ] || E2E_DIR_MADE=1
fi
mkdir -p "$E2E_DIR/logs" "$E2E_DIR/run" "$E2E_DIR/tmp"
: >"$E2E_DIR/bench.txt"
: >"$E2E_DIR/results.txt"
[ -n "$attach" ] || trap e2e_stop_all EXIT
trap 'exit 130' INT TERM
e2e_log "run directory $E2E_DIR; plugin $E2E_PLUGIN_ZIP"
if [ -z "$attach" ]; then
	build_stores
	e2e_log "stores up in $(($(date +%s) - started)) s"
fi

# ---- Steps: every steps-*.sh (in name order) registers its steps with e2e_step.
E2E_STEPS=()
e2e_step() { E2E_STEPS+=("$1"); }
for f in "$here"/steps-*.sh; do
	[ -f "$f" ] || continue
	# shellcheck source=/dev/null
	source "$f"
done
# The stores are independent (own database, PHP pool, sidecar, simulator): their steps run
# at once, unless timings are taken (--bench: one quiet store at a time) or E2E_SERIAL=1.
if [ "$E2E_BENCH" = 1 ] || [ "${E2E_SERIAL:-0}" = 1 ] || [ ${#store_ids[@]} -eq 1 ]; then
	for id in "${store_ids[@]}"; do
		run_steps "$id"
	done
else
	step_pids=()
	for id in "${store_ids[@]}"; do
		run_steps "$id" &
		step_pids+=("$!")
	done
	for pid in "${step_pids[@]}"; do wait "$pid"; done
fi
[ "$E2E_BENCH" = 1 ] && [ -s "$E2E_DIR/bench.txt" ] && e2e_log "bench figures in $E2E_DIR/bench.txt"

if [ "$E2E_KEEP" = 1 ]; then
	for id in "${store_ids[@]}"; do
		e2e_log "store $id kept up: $(store_get "$id" url)/wp-admin/ (admin / $(store_get "$id" admin_pass)), sidecar http://127.0.0.1:$(store_get "$id" sidecar_port) (secret $(store_get "$id" secret)), simulator http://127.0.0.1:$(store_get "$id" sim_port) (token $E2E_SIM_TOKEN)"
	done
	e2e_log "logs in $E2E_DIR/logs; CA $E2E_DIR/tls/ca.crt; Ctrl-C stops everything"
	wait
fi

e2e_log "took $(($(date +%s) - started)) s"
e2e_tally
