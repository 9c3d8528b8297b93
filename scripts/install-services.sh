#!/bin/sh
# Installs the real services the test bed (test/bed/) runs on loopback — Debian 12 packages.
# Nothing to do when every binary is present. As root: one `apt-get update` and one
# `apt-get install` of the missing packages, with service start-up blocked during the install
# (the bed runs private instances on its own ports; packaged daemons must not be left running).
# Not root: lists what is missing and exits 0 — the test files then skip (or fail under CI).
set -eu

PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH

# binary package — one pair per line
REQUIRED='
/usr/sbin/mariadbd mariadb-server
mariadb-install-db mariadb-server
mariadb-admin mariadb-client
mariadb mariadb-client
mariadb-dump mariadb-client
/usr/lib/postgresql/15/bin/initdb postgresql-15
/usr/lib/postgresql/15/bin/postgres postgresql-15
pg_dump postgresql-client-15
nginx nginx
php-fpm8.2 php8.2-fpm
php-cgi8.2 php8.2-cgi
pebble pebble
pebble-challtestsrv pebble
sshd openssh-server
ssh-keygen openssh-client
crontab cron
/usr/sbin/cron cron
chromium chromium
curl curl
pigz pigz
openssl openssl
setquota quota
repquota quota
quotacheck quota
quotaon quota
mkfs.btrfs btrfs-progs
btrfs btrfs-progs
/usr/sbin/pdns_server pdns-server
/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql pdns-backend-sqlite3
dig bind9-dnsutils
/usr/sbin/named bind9
named-checkzone bind9-utils
'

missing_bins=''
missing_pkgs=''
while read -r bin pkg; do
  [ -n "$bin" ] || continue
  case "$bin" in
    *.sql) [ -f "$bin" ] && continue ;;
    /*) [ -x "$bin" ] && continue ;;
    *) command -v "$bin" >/dev/null 2>&1 && continue ;;
  esac
  missing_bins="$missing_bins $bin"
  case " $missing_pkgs " in *" $pkg "*) ;; *) missing_pkgs="$missing_pkgs $pkg" ;; esac
done <<EOF
$REQUIRED
EOF

if [ -z "$missing_bins" ]; then
  echo "[install-services] all test-bed services are installed"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "[install-services] missing:$missing_bins"
  echo "[install-services] not root, not installing (packages:$missing_pkgs); tests needing them will skip, or fail under CI"
  exit 0
fi

echo "[install-services] missing:$missing_bins"
echo "[install-services] installing:$missing_pkgs"

# Block service start-up by package scripts for the duration of the install (Debian policy-rc.d).
policy=/usr/sbin/policy-rc.d
own_policy=''
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  own_policy=1
fi
cleanup() { if [ -n "$own_policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y -q --no-install-recommends $missing_pkgs

# If a packaged daemon still got started (e.g. policy-rc.d was someone else's and allowed it),
# stop and disable the packages we just installed. The bed never uses them.
for unit in nginx mariadb postgresql php8.2-fpm pdns named; do
  case "$unit" in
    nginx) pkg=nginx; proc=nginx ;;
    mariadb) pkg=mariadb-server; proc=mariadbd ;;
    postgresql) pkg=postgresql-15; proc=postgres ;;
    php8.2-fpm) pkg=php8.2-fpm; proc=php-fpm8.2 ;;
    pdns) pkg=pdns-server; proc=pdns_server ;;
    named) pkg=bind9; proc=named ;;
  esac
  case " $missing_pkgs " in *" $pkg "*) ;; *) continue ;; esac
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now "$unit" >/dev/null 2>&1 || true
  elif pgrep -x "$proc" >/dev/null 2>&1 && [ -x "/etc/init.d/$unit" ]; then
    "/etc/init.d/$unit" stop >/dev/null 2>&1 || true
  fi
done

echo "[install-services] done"
