#!/bin/sh
# Renders the Nginx site of a host from its env file (SERVER_NAME, TLS_CERT, TLS_KEY, API_PROCS,
# NGINX_SITE; the per-address limits NGINX_RATE_PER_SECOND, NGINX_RATE_BURST,
# NGINX_READY_RATE_PER_SECOND, NGINX_READY_BURST and NGINX_CONNECTIONS_PER_ADDRESS when set, else
# render.mjs's defaults) and reloads Nginx when the file changed. A site that fails `nginx -t` is never left
# in place: the previous one is restored. Used by provision.sh, deploy.sh and letsencrypt.sh.
set -eu
ENV_FILE=${ENV_FILE:-/etc/market-scanner/env}
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a
here=$(cd "$(dirname "$0")" && pwd)
target=${NGINX_SITE:-/etc/nginx/conf.d/market-scanner.conf}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$NODE_BIN" "$here/render.mjs" --out "$tmp" --server-name "$SERVER_NAME" --cert "$TLS_CERT" --key "$TLS_KEY" \
  --api-procs "$API_PROCS" --access-log /var/log/nginx/market-scanner.access.log \
  ${NGINX_RATE_PER_SECOND:+--rate "$NGINX_RATE_PER_SECOND"} ${NGINX_RATE_BURST:+--burst "$NGINX_RATE_BURST"} \
  ${NGINX_READY_RATE_PER_SECOND:+--ready-rate "$NGINX_READY_RATE_PER_SECOND"} \
  ${NGINX_READY_BURST:+--ready-burst "$NGINX_READY_BURST"} \
  ${NGINX_CONNECTIONS_PER_ADDRESS:+--connections "$NGINX_CONNECTIONS_PER_ADDRESS"}
if [ -f "$target" ] && cmp -s "$tmp" "$target"; then
  echo "nginx site unchanged: $target"
  exit 0
fi
[ ! -f "$target" ] || cp -p "$target" "$target.previous"
install -m 0644 "$tmp" "$target"
if ! nginx -t -q; then
  if [ -f "$target.previous" ]; then mv "$target.previous" "$target"; else rm -f "$target"; fi
  echo "install-site: the new site fails nginx -t; kept the previous one" >&2
  exit 1
fi
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx; then
  systemctl reload nginx
elif [ -s /run/nginx.pid ]; then
  nginx -s reload
fi
echo "nginx site installed: $target"
