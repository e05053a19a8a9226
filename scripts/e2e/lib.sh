# shellcheck shell=bash
# Library of scripts/e2e/run.sh: real WordPress + WooCommerce stores behind nginx + PHP-FPM
# on HTTPS, one MariaDB, sidecars and OnCloudWine simulators, all inside one run directory
# ($E2E_DIR) and all stopped by e2e_stop_all. Sourced, never run. See README.md.
#
# A store is named by a short id (a, b). Its facts live in variables named e2e_<id>_<fact>
# (read them with store_get <id> <fact>): url, port, root (WordPress ABSPATH), content
# (wp-content), wc (WooCommerce version), wp, label, sidecar_port, sim_port, data.

E2E_ROOT="${E2E_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
E2E_LIB="$E2E_ROOT/scripts/e2e"
E2E_VENDOR="${E2E_VENDOR:-$E2E_ROOT/../shared/vendor}"
E2E_PORT_BASE="${E2E_PORT_BASE:-18400}"
E2E_PLUGIN_ZIP="${E2E_PLUGIN_ZIP:-$E2E_ROOT/dist/oncloudwine-for-woocommerce.zip}"
E2E_SIM_TOKEN="ock_e2e_$(printf '%s' "$E2E_PORT_BASE" | sha256sum | cut -c1-24)"
E2E_PIDS=()

# ---------------------------------------------------------------- output

e2e_log() { printf 'e2e: %s\n' "$*" >&2; }
e2e_die() {
	printf 'e2e: FATAL %s\n' "$*" >&2
	exit 1
}

# step_result <store> <step> PASS|FAIL <detail...>: the one line per step the issue asks for.
step_result() {
	local store="$1" step="$2" verdict="$3"
	shift 3
	printf 'e2e: %s %s %s %s\n' "$store" "$step" "$verdict" "$*"
	# One short append per step: stores that run their steps at once share the file.
	printf '%s %s %s\n' "$store" "$step" "$verdict" >>"$E2E_DIR/results.txt"
}

# e2e_tally: the closing line, from every step's verdict of this run.
e2e_tally() {
	local passed failed
	passed="$(grep -c ' PASS$' "$E2E_DIR/results.txt" 2>/dev/null)"
	failed="$(grep -c ' FAIL$' "$E2E_DIR/results.txt" 2>/dev/null)"
	printf '%d passed, %d failed\n' "${passed:-0}" "${failed:-0}"
	[ "${failed:-0}" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
}
step_pass() { step_result "$1" "$2" PASS "${@:3}"; }
step_fail() { step_result "$1" "$2" FAIL "${@:3}"; }

# bench_line <name> <value> <unit>: a `make bench` figure (printed only in --bench mode,
# always recorded in $E2E_DIR/bench.txt).
bench_line() {
	printf 'bench: %s %s %s\n' "$1" "$2" "$3" >>"$E2E_DIR/bench.txt"
	[ "${E2E_BENCH:-0}" = 1 ] && printf 'bench: %s %s %s\n' "$1" "$2" "$3"
	return 0
}

now_ms() { date +%s%3N; }

# samples: how many times a timed action is repeated: 5 with --bench (the medians the bench
# lines report), 3 otherwise (the checks only).
samples() { if [ "${E2E_BENCH:-0}" = 1 ]; then echo 5; else echo 3; fi; }

# median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

# ---------------------------------------------------------------- waiting

# wait_until <seconds> <command...>: runs the command every 0.1 s until it succeeds or the
# deadline passes (then returns 1). Polling a condition with a deadline, never a bare sleep.
wait_until() {
	local limit="$1"
	shift
	local end=$(($(now_ms) + limit * 1000))
	until "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# ---------------------------------------------------------------- processes

# start_bg <name> <command...>: starts a process of the run in the background, its output in
# $E2E_DIR/logs/<name>.log, and remembers its pid (store it by name for stop_bg).
start_bg() {
	local name="$1"
	shift
	"$@" >>"$E2E_DIR/logs/$name.log" 2>&1 &
	local pid=$!
	E2E_PIDS+=("$pid")
	printf '%s\n' "$pid" >"$E2E_DIR/run/$name.pid"
}

# stop_bg <name>: stops one process started by start_bg (TERM, then KILL after 10 s).
stop_bg() {
	local f="$E2E_DIR/run/$1.pid" pid
	[ -f "$f" ] || return 0
	pid="$(cat "$f")"
	rm -f "$f"
	kill_wait "$pid"
}

kill_wait() {
	local pid="$1" i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || {
			wait "$pid" 2>/dev/null
			return 0
		}
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}

# e2e_stop_all: the EXIT trap. Stops every process this run started, by pid, newest first.
e2e_stop_all() {
	set +e
	local f
	for f in "$E2E_DIR"/run/*.pid; do
		[ -f "$f" ] || continue
		case "$f" in */nginx.pid | */php-fpm.pid | */mariadb.pid) continue ;; esac
		kill_wait "$(cat "$f")"
		rm -f "$f"
	done
	# nginx, php-fpm and MariaDB last: they were started first. Their own pid files.
	for f in nginx php-fpm mariadb; do
		[ -f "$E2E_DIR/run/$f.pid" ] && kill_wait "$(cat "$E2E_DIR/run/$f.pid")"
		rm -f "$E2E_DIR/run/$f.pid"
	done
	local pid
	for pid in "${E2E_PIDS[@]}"; do kill_wait "$pid"; done
	e2e_clean_dir
}

# e2e_clean_dir: a run directory this run made itself is removed, all but logs/ and tmp/
# (the pages the steps saw) when a step failed. One named with E2E_DIR is left as it is.
e2e_clean_dir() {
	[ "${E2E_DIR_MADE:-0}" = 1 ] && [ -d "$E2E_DIR" ] || return 0
	if grep -q ' FAIL$' "$E2E_DIR/results.txt" 2>/dev/null || [ ! -s "$E2E_DIR/results.txt" ]; then
		rm -rf "$E2E_DIR"/store-*/wordpress "$E2E_DIR"/store-*/sidecar "$E2E_DIR/mariadb" "$E2E_DIR/nginx"
		e2e_log "logs and pages kept in $E2E_DIR"
	else
		rm -rf "$E2E_DIR"
	fi
}

# port <offset>: a port of this run.
port() { echo $((E2E_PORT_BASE + $1)); }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- archives, packages

# vendor_archive <file> <sha256> <official url>: prints the path of an archive: the vendored
# ../shared/vendor/<file> (its SHA-256 checked), else the official download (kept in
# $E2E_CACHE, default ~/.cache/ocw-e2e, under the official name; HTTPS, no vendored hash
# applies to it), else the run stops with one line saying where to put the file.
vendor_archive() {
	local file="$1" sum="$2" url="$3" cache="${E2E_CACHE:-$HOME/.cache/ocw-e2e}" path
	if [ -f "$E2E_VENDOR/$file" ]; then
		echo "$sum  $E2E_VENDOR/$file" | sha256sum -c --quiet - >/dev/null 2>&1 ||
			e2e_die "$E2E_VENDOR/$file: SHA-256 differs from $sum (replace the file)"
		echo "$E2E_VENDOR/$file"
		return 0
	fi
	path="$cache/$(basename "$url")"
	if [ ! -s "$path" ] && [ "${E2E_OFFLINE:-0}" != 1 ]; then
		mkdir -p "$cache"
		curl -fsSL --proto =https --max-time 300 -o "$path.part" "$url" 2>/dev/null && mv "$path.part" "$path"
		rm -f "$path.part"
	fi
	[ -s "$path" ] && {
		echo "$path"
		return 0
	}
	e2e_die "$file is missing: put it (SHA-256 $sum, see ../shared/vendor/README.md) in $E2E_VENDOR/, or $(basename "$url") from $url in $cache/"
}

# extract_archive <archive> <dest dir>: unpacks .tar.xz, .tar.gz or .zip.
extract_archive() {
	mkdir -p "$2"
	case "$1" in
	*.zip) unzip -q "$1" -d "$2" ;;
	*) tar -xf "$1" -C "$2" ;;
	esac
}

# ---------------------------------------------------------------- CA and certificates

make_ca() {
	local d="$E2E_DIR/tls"
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=OnCloudWine e2e CA $E2E_PORT_BASE" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout "$d/ca.key" -out "$d/ca.crt" >/dev/null 2>&1 || e2e_die "openssl: could not make the CA"
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$d/ext.cnf"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
		-extfile "$d/ext.cnf" -out "$d/server.crt" >/dev/null 2>&1 || e2e_die "openssl: could not sign the server certificate"
}

# ---------------------------------------------------------------- MariaDB

start_mariadb() {
	local d="$E2E_DIR/mariadb" user
	mkdir -p "$d/data"
	user="$(id -un)"
	mariadb-install-db --no-defaults --datadir="$d/data" --user="$user" --auth-root-authentication-method=normal \
		--skip-test-db >"$E2E_DIR/logs/mariadb-install.log" 2>&1 || {
		tail -5 "$E2E_DIR/logs/mariadb-install.log" >&2
		e2e_die "mariadb-install-db failed"
	}
	"$(command -v mariadbd || echo /usr/sbin/mariadbd)" --no-defaults --datadir="$d/data" --socket="$E2E_DIR/run/mariadb.sock" \
		--pid-file="$E2E_DIR/run/mariadb.pid" --skip-networking --user="$user" --log-error="$E2E_DIR/logs/mariadb.log" \
		--innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 --skip-log-bin --max-connections=100 \
		--character-set-server=utf8mb4 >>"$E2E_DIR/logs/mariadb.log" 2>&1 &
	E2E_PIDS+=("$!")
	wait_until 60 mysql_q "" "SELECT 1" || e2e_die "MariaDB did not start (see $E2E_DIR/logs/mariadb.log)"
}

# mysql_q <database> <sql>: runs SQL as root on the run's MariaDB; tab-separated, no header.
mysql_q() { mariadb --no-defaults -uroot --socket="$E2E_DIR/run/mariadb.sock" -N -B ${1:+"$1"} -e "$2"; }

# ---------------------------------------------------------------- PHP-FPM and nginx

# write_fpm_pool <id>: one pool of 4 workers per store, its PHP errors in logs/php-<id>.log.
write_fpm_pool() {
	local id="$1" user_lines=""
	[ "$(id -u)" = 0 ] && user_lines=$'user = root\ngroup = root'
	cat >>"$E2E_DIR/php-fpm.conf" <<EOF
[store-$id]
$user_lines
listen = $E2E_DIR/run/php-$id.sock
pm = static
pm.max_children = 4
catch_workers_output = yes
decorate_workers_output = no
php_admin_value[error_log] = $E2E_DIR/logs/php-$id.log
php_admin_flag[log_errors] = on
php_admin_value[memory_limit] = 512M
php_admin_value[upload_max_filesize] = 32M
php_admin_value[post_max_size] = 32M
php_admin_value[max_execution_time] = 120
EOF
}

start_php_fpm() {
	local bin
	bin="$(command -v php-fpm8.2 || command -v php-fpm || echo /usr/sbin/php-fpm8.2)"
	local root_flag=()
	[ "$(id -u)" = 0 ] && root_flag=(-R)
	"$bin" "${root_flag[@]}" --nodaemonize --fpm-config "$E2E_DIR/php-fpm.conf" >>"$E2E_DIR/logs/php-fpm.log" 2>&1 &
	E2E_PIDS+=("$!")
	local id
	for id in "$@"; do
		wait_until 20 test -S "$E2E_DIR/run/php-$id.sock" || e2e_die "php-fpm did not start (see $E2E_DIR/logs/php-fpm.log)"
	done
}

# write_nginx_server <id>: an HTTPS server for the store on its port, WordPress rules.
write_nginx_server() {
	local id="$1" root port
	root="$(store_get "$id" root)"
	port="$(store_get "$id" port)"
	cat >>"$E2E_DIR/nginx.conf" <<EOF
	server {
		listen 127.0.0.1:$port ssl;
		server_name 127.0.0.1 localhost;
		ssl_certificate $E2E_DIR/tls/server.crt;
		ssl_certificate_key $E2E_DIR/tls/server.key;
		root $root;
		index index.php;
		access_log $E2E_DIR/logs/nginx-$id-access.log timed;
		location / { try_files \$uri \$uri/ /index.php?\$args; }
		location ~ \.php\$ {
			try_files \$uri =404;
			include /etc/nginx/fastcgi_params;
			fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
			fastcgi_param HTTP_HOST \$http_host;
			fastcgi_param HTTPS on;
			fastcgi_read_timeout 180s;
			fastcgi_pass unix:$E2E_DIR/run/php-$id.sock;
		}
	}
EOF
}

nginx_head() {
	local user_line=""
	[ "$(id -u)" = 0 ] && user_line="user root;"
	mkdir -p "$E2E_DIR/nginx"
	cat >"$E2E_DIR/nginx.conf" <<EOF
$user_line
worker_processes 1;
daemon off;
pid $E2E_DIR/run/nginx.pid;
error_log $E2E_DIR/logs/nginx-error.log warn;
events { worker_connections 512; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	client_body_temp_path $E2E_DIR/nginx/body;
	fastcgi_temp_path $E2E_DIR/nginx/fastcgi;
	proxy_temp_path $E2E_DIR/nginx/proxy;
	uwsgi_temp_path $E2E_DIR/nginx/uwsgi;
	scgi_temp_path $E2E_DIR/nginx/scgi;
	client_max_body_size 32m;
	log_format timed '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent \$request_time';
EOF
}

start_nginx() {
	echo '}' >>"$E2E_DIR/nginx.conf"
	/usr/sbin/nginx -e "$E2E_DIR/logs/nginx-error.log" -p "$E2E_DIR/nginx" -c "$E2E_DIR/nginx.conf" -t >"$E2E_DIR/logs/nginx-test.log" 2>&1 ||
		{
			cat "$E2E_DIR/logs/nginx-test.log" >&2
			e2e_die "nginx config test failed"
		}
	/usr/sbin/nginx -e "$E2E_DIR/logs/nginx-error.log" -p "$E2E_DIR/nginx" -c "$E2E_DIR/nginx.conf" >>"$E2E_DIR/logs/nginx.log" 2>&1 &
	E2E_PIDS+=("$!")
	local id
	for id in "$@"; do
		wait_until 20 curl -s -o /dev/null --cacert "$E2E_DIR/tls/ca.crt" "$(store_get "$id" url)/wp-login.php" ||
			e2e_die "nginx does not answer for store $id (see $E2E_DIR/logs/nginx-error.log)"
	done
}

# ---------------------------------------------------------------- stores

store_set() { printf -v "e2e_${1}_$2" '%s' "$3"; }
store_get() {
	local v="e2e_${1}_$2"
	printf '%s' "${!v}"
}

# store_define <id> <label> <port offset>: names the store and its ports.
store_define() {
	local id="$1"
	store_set "$id" label "$2"
	store_set "$id" port "$(port "$3")"
	store_set "$id" sidecar_port "$(port $(($3 + 1)))"
	store_set "$id" sim_port "$(port $(($3 + 2)))"
	store_set "$id" url "https://127.0.0.1:$(port "$3")"
	store_set "$id" data "$E2E_DIR/store-$id"
	store_set "$id" jar "$E2E_DIR/store-$id/cookies.txt"
	store_set "$id" db "e2e_store_$id"
	store_set "$id" secret "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	store_set "$id" admin_pass "$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')"
}

# store_lay_out <id> <wordpress dir to copy, or archive> <woocommerce archive>: the files.
store_lay_out() {
	local id="$1" wp_src="$2" wc_archive="$3" data root content
	data="$(store_get "$id" data)"
	mkdir -p "$data"
	if [ -d "$wp_src" ]; then
		# Debian's package: a private copy (symlinks followed), so its wp-config.php can be ours
		# and nothing under /etc or /usr is touched.
		cp -rL "$wp_src" "$data/wordpress"
	else
		extract_archive "$wp_src" "$data"
	fi
	root="$data/wordpress"
	content="$root/wp-content"
	if [ -d "$wp_src" ]; then
		rm -rf "$content"
		mkdir -p "$content/plugins" "$content/themes"
		cp -r "$wp_src/wp-content/themes/." "$content/themes/"
	fi
	mkdir -p "$content/plugins" "$content/mu-plugins" "$content/uploads" "$content/upgrade"
	extract_archive "$wc_archive" "$content/plugins"
	cp "$E2E_LIB/php/mu-plugin.php" "$content/mu-plugins/ocw-e2e.php"
	# WordPress's own CA bundle plus the run's CA: what the mu-plugin hands to its HTTP API.
	cat "$root/wp-includes/certificates/ca-bundle.crt" "$E2E_DIR/tls/ca.crt" >"$data/ca-bundle.crt"
	store_set "$id" root "$root"
	store_set "$id" content "$content"
	store_set "$id" wp "$(php -r "include '$root/wp-includes/version.php'; echo \$wp_version;")"
}

# store_write_config <id>: wp-config.php for the run.
store_write_config() {
	local id="$1" root url data
	root="$(store_get "$id" root)"
	url="$(store_get "$id" url)"
	data="$(store_get "$id" data)"
	salt() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
	cat >"$root/wp-config.php" <<PHP
<?php
// Written by scripts/e2e (store $id); removed with the run directory.
define( 'DB_NAME', '$(store_get "$id" db)' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost:$E2E_DIR/run/mariadb.sock' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_HOME', '$url' );
define( 'WP_SITEURL', '$url' );
define( 'FORCE_SSL_ADMIN', true );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$E2E_DIR/logs/debug-$id.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'SCRIPT_DEBUG', false );
define( 'FS_METHOD', 'direct' );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
// Nothing leaves this machine: only loopback is reachable from WordPress.
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost' );
define( 'OCW_E2E_CA_BUNDLE', '$data/ca-bundle.crt' );
define( 'OCW_E2E_MAIL_DIR', '$data/mail' );
define( 'AUTH_KEY', '$(salt)' );
define( 'SECURE_AUTH_KEY', '$(salt)' );
define( 'LOGGED_IN_KEY', '$(salt)' );
define( 'NONCE_KEY', '$(salt)' );
define( 'AUTH_SALT', '$(salt)' );
define( 'SECURE_AUTH_SALT', '$(salt)' );
define( 'LOGGED_IN_SALT', '$(salt)' );
define( 'NONCE_SALT', '$(salt)' );
\$table_prefix = 'wp_';
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP
	mkdir -p "$data/mail"
}

# store_install <id>: WordPress, WooCommerce (activated, installed), the store's settings.
store_install() {
	local id="$1" out
	mysql_q "" "CREATE DATABASE $(store_get "$id" db) DEFAULT CHARACTER SET utf8mb4" || e2e_die "could not create the database of store $id"
	out="$E2E_DIR/logs/install-$id.log"
	php_file "$id" "$E2E_LIB/php/install-wp.php" "$(store_get "$id" admin_pass)" >"$out" 2>&1 || {
		tail -20 "$out" >&2
		e2e_die "store $id: WordPress install failed"
	}
	php_file "$id" "$E2E_LIB/php/install-wc.php" >>"$out" 2>&1 || {
		tail -20 "$out" >&2
		e2e_die "store $id: WooCommerce install failed"
	}
	php_file "$id" "$E2E_LIB/php/first-admin-visit.php" >>"$out" 2>&1 || {
		tail -20 "$out" >&2
		e2e_die "store $id: WooCommerce's first admin visit failed"
	}
	store_set "$id" wc "$(php_eval "$id" 'echo WC_VERSION;')"
}

# ---------------------------------------------------------------- PHP inside a store

# php_eval <id> <php code>: runs code in the store's WordPress (wp-load.php loaded, user 1)
# with php-cli. Its PHP errors go to the store's debug log like a request's.
php_eval() {
	local id="$1" code="$2" f
	f="$(mktemp "$E2E_DIR/tmp/eval.XXXXXX.php")"
	printf '<?php\n%s\n' "$code" >"$f"
	php_file "$id" "$f"
	local rc=$?
	rm -f "$f"
	return $rc
}

# php_file <id> <file> [args...]: runs a PHP file in the store's WordPress (see php_eval).
php_file() {
	local id="$1" file="$2"
	shift 2
	OCW_E2E_ABSPATH="$(store_get "$id" root)" OCW_E2E_URL="$(store_get "$id" url)" \
		php -d display_errors=stderr -d memory_limit=512M -d error_log="$E2E_DIR/logs/php-$id.log" \
		"$E2E_LIB/php/boot.php" "$file" "$@"
}

# ---------------------------------------------------------------- HTTP as a browser

# wp_curl <id> [curl args...]: a request with the store's cookie jar and the run's CA.
wp_curl() {
	local id="$1"
	shift
	curl -sS --max-time 90 --cacert "$E2E_DIR/tls/ca.crt" -b "$(store_get "$id" jar)" -c "$(store_get "$id" jar)" \
		-A 'Mozilla/5.0 (X11; Linux x86_64) ocw-e2e' "$@"
}

# wp_login <id>: logs in as the administrator through wp-login.php.
wp_login() {
	local id="$1" url code
	url="$(store_get "$id" url)"
	rm -f "$(store_get "$id" jar)"
	wp_curl "$id" -o /dev/null "$url/wp-login.php" || return 1
	code="$(wp_curl "$id" -o /dev/null -w '%{http_code}' --data-urlencode log=admin \
		--data-urlencode "pwd=$(store_get "$id" admin_pass)" --data-urlencode testcookie=1 \
		--data-urlencode "redirect_to=$url/wp-admin/" "$url/wp-login.php")"
	[ "$code" = 302 ] && grep -q wordpress_logged_in "$(store_get "$id" jar)"
}

# wp_get <id> <path> <out file>: GET a page as the logged-in admin; prints the HTTP code.
# The page's URL is kept in <out file>.url for form_submit (a form without action posts there).
wp_get() {
	printf '%s' "$(store_get "$1" url)$2" >"$3.url"
	wp_curl "$1" -o "$3" -w '%{http_code}' "$(store_get "$1" url)$2"
}

# form_submit <id> <page html> <form selector> <button> <out file> [name=value...]: submits
# a form of a page as a browser would: every field the form holds with its current value,
# the overrides given, and the pressed button's name/value and formaction. The selector and
# button forms are described in php/form.php. Prints "<http code> <redirect url>".
form_submit() {
	local id="$1" html="$2" form="$3" button="$4" out="$5"
	shift 5
	local spec action page_url
	page_url="$(cat "$html.url" 2>/dev/null || store_get "$id" url)"
	spec="$(mktemp "$E2E_DIR/tmp/form.XXXXXX")"
	php "$E2E_LIB/php/form.php" "$html" "$page_url" "$form" "$button" "$@" >"$spec" || {
		rm -f "$spec"
		echo "000 no-such-form"
		return 1
	}
	action="$(head -1 "$spec")"
	tail -n +2 "$spec" >"$spec.body"
	wp_curl "$id" -o "$out" -w '%{http_code} %{redirect_url}' --data-binary "@$spec.body" \
		-H 'Content-Type: application/x-www-form-urlencoded' -e "$page_url" "$action"
	rm -f "$spec" "$spec.body"
}

# ---------------------------------------------------------------- sidecar and simulator

start_sim() {
	local id="$1"
	start_bg "sim-$id" "$E2E_ROOT/bin/ocw-api-sim" --listen "127.0.0.1:$(store_get "$id" sim_port)" --token "$E2E_SIM_TOKEN" --log-level warn
	wait_until 20 sim_state "$id" || e2e_die "ocw-api-sim for store $id did not start (see $E2E_DIR/logs/sim-$id.log)"
}

# sim_state <id>: the OnCloudWine simulator's whole state (JSON) on stdout.
sim_state() {
	curl -sf --max-time 10 -H "Authorization: Bearer $E2E_SIM_TOKEN" "http://127.0.0.1:$(store_get "$1" sim_port)/_sim/state"
}

start_sidecar() {
	local id="$1"
	mkdir -p "$(store_get "$id" data)/sidecar"
	OCW_LISTEN_ADDR="127.0.0.1:$(store_get "$id" sidecar_port)" \
		OCW_DATA_DIR="$(store_get "$id" data)/sidecar" \
		OCW_SHARED_SECRET="$(store_get "$id" secret)" \
		OCW_API_URL="http://127.0.0.1:$(store_get "$id" sim_port)" \
		OCW_API_TOKEN="$E2E_SIM_TOKEN" \
		OCW_WOO_CA_FILE="$E2E_DIR/tls/ca.crt" \
		OCW_LOG_FORMAT=text OCW_LOG_LEVEL="${E2E_SIDECAR_LOG_LEVEL:-info}" \
		start_bg "sidecar-$id" "$E2E_ROOT/bin/ocw-sidecar" serve
	wait_until 20 curl -sf -o /dev/null "http://127.0.0.1:$(store_get "$id" sidecar_port)/healthz" ||
		e2e_die "ocw-sidecar for store $id did not start (see $E2E_DIR/logs/sidecar-$id.log)"
}

stop_sidecar() { stop_bg "sidecar-$1"; }

# sidecar_api <id> <method> <path> [curl args]: the sidecar's admin API with the bearer.
sidecar_api() {
	local id="$1" method="$2" path="$3"
	shift 3
	curl -sS --max-time 30 -X "$method" -H "Authorization: Bearer $(store_get "$id" secret)" \
		"http://127.0.0.1:$(store_get "$id" sidecar_port)$path" "$@"
}

# ---------------------------------------------------------------- JSON

# jq_ok <jq filter> : reads JSON on stdin, succeeds when the filter yields true.
jq_ok() { jq -e "$1" >/dev/null 2>&1; }
