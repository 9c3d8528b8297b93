#!/bin/sh
# Install VeloPanel as a systemd service: directories with their owners and modes, the production
# config (kept if one is there), the unit, the `velopanel` command, the SDK link for third-party
# plugins; then enable and start the service.
#
#   scripts/install-service.sh [--root DIR] [--app-dir DIR] [--node PATH] [--no-start] [--no-build]
#
#   --root DIR     install under DIR instead of / (packaging, tests); systemd is then only told
#                  to enable the unit there (systemctl --root), never to start it
#                  (env: VELOPANEL_INSTALL_ROOT)
#   --app-dir DIR  where VeloPanel is (default: this script's checkout)
#   --node PATH    the node binary the unit runs (default: the one on PATH)
#   --no-start     enable the unit but do not start or restart it
#   --no-build     do not compile dist/ (it must be built already)
set -eu

ROOT=${VELOPANEL_INSTALL_ROOT:-/}
APP_DIR=$(cd "$(dirname "$0")/.." && pwd)
NODE=$(command -v node || true)
START=1
BUILD=1

die() { echo "install-service: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT=$2; shift 2 ;;
    --app-dir) [ $# -ge 2 ] || die "--app-dir needs a directory"; APP_DIR=$2; shift 2 ;;
    --node) [ $# -ge 2 ] || die "--node needs a path"; NODE=$2; shift 2 ;;
    --no-start) START=0; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

case "$ROOT" in /*) ;; *) die "--root must be an absolute path" ;; esac
case "$APP_DIR" in /*) ;; *) die "--app-dir must be an absolute path" ;; esac
[ -n "$NODE" ] && [ -x "$NODE" ] || die "node not found (give --node /path/to/node)"
[ -f "$APP_DIR/bin/velopanel.js" ] || die "$APP_DIR is not a VeloPanel checkout (no bin/velopanel.js)"
# Values written into the unit file must not break its lines or its sed substitution.
case "$APP_DIR$NODE" in *[!A-Za-z0-9/._+-]*) die "--app-dir and --node may hold only letters, digits and / . _ + -" ;; esac
ROOT=${ROOT%/}
R=${ROOT:-}

# Owners only when we can set them (root); modes always.
if [ "$(id -u)" = 0 ]; then OWNER="-o 0 -g 0"; else OWNER=""; echo "install-service: not root: files keep your owner" >&2; fi

# VeloPanel's own directories get owner and mode; system parents (/etc, /var/backups,
# /usr/local/bin…) are only created when missing, never changed.
own() { # MODE PATH
  mkdir -p "$(dirname "$R$2")"
  install -d -m "$1" $OWNER "$R$2"
  chmod "$1" "$R$2"
}

own 0750 /etc/velopanel
own 0750 /var/lib/velopanel
own 0755 /var/lib/velopanel/plugins
own 0755 /var/lib/velopanel/plugins/node_modules
own 0700 /var/backups/velopanel
mkdir -p "$R/etc/veloserve" "$R/etc/systemd/system/multi-user.target.wants" "$R/usr/local/bin"

# The operator's config is never overwritten; a newer default lands beside it.
CONFIG=$R/etc/velopanel/velopanel.toml
if [ -e "$CONFIG" ]; then
  install -m 0640 $OWNER "$APP_DIR/config/velopanel.production.toml" "$CONFIG.new"
  echo "install-service: kept $CONFIG; the shipped default is in $CONFIG.new"
else
  install -m 0640 $OWNER "$APP_DIR/config/velopanel.production.toml" "$CONFIG"
fi

UNIT=$R/etc/systemd/system/velopanel.service
sed -e "s|@APP_DIR@|$APP_DIR|g" -e "s|@NODE@|$NODE|g" "$APP_DIR/config/velopanel.service" > "$UNIT.tmp"
chmod 0644 "$UNIT.tmp"
mv -f "$UNIT.tmp" "$UNIT"

# Third-party plugins import the SDK as `velopanel/sdk/index.js`: resolve it to this build.
ln -sfn "$APP_DIR/dist" "$R/var/lib/velopanel/plugins/node_modules/velopanel"
ln -sfn "$APP_DIR/bin/velopanel.js" "$R/usr/local/bin/velopanel"

if [ "$BUILD" = 1 ]; then
  "$NODE" "$APP_DIR/scripts/build.mjs" --if-needed >&2 || die "the build failed"
fi

if [ -n "$R" ]; then
  if command -v systemctl >/dev/null 2>&1; then
    systemctl --root="$R" enable velopanel.service
  else
    ln -sfn /etc/systemd/system/velopanel.service "$R/etc/systemd/system/multi-user.target.wants/velopanel.service"
  fi
  echo "install-service: installed under $R (enabled there, not started)"
  exit 0
fi

command -v systemctl >/dev/null 2>&1 || die "systemctl not found: is this a systemd machine?"
systemctl daemon-reload
systemctl enable velopanel.service
if [ "$START" = 1 ]; then
  systemctl restart velopanel.service
  echo "install-service: velopanel is running: journalctl -u velopanel -f"
else
  echo "install-service: enabled; start it with: systemctl start velopanel"
fi
