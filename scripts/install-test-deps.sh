#!/usr/bin/env bash
# Installs, from Debian's packages, what `make test` needs beyond Go: PHP and
# PHPUnit for the plugin's suite, WordPress and MariaDB for the real-WordPress
# smoke test, nginx + PHP-FPM + openssl + jq for the real-store e2e run
# (scripts/e2e). Does nothing when they are all there. Uses sudo when not root.
set -euo pipefail

packages=(php-cli phpunit php-xml php-mbstring php-mysql wordpress mariadb-server curl zip unzip
	php8.2-fpm php8.2-curl php8.2-gd php8.2-intl php8.2-zip php8.2-bcmath nginx openssl jq xz-utils)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-test-deps: not a Debian system; install by hand: ${missing[*]}" >&2
	exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "install-test-deps: run as root, or install: ${missing[*]}" >&2; exit 1; }
	sudo=(sudo)
fi
echo "== apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
