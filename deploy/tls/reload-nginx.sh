#!/bin/sh
# Certbot deploy hook: Nginx keeps serving the old certificate until it re-reads its files
# (certbot/certbot#5034), so every successful issuance or renewal reloads it, after `nginx -t`.
# Installed as /etc/letsencrypt/renewal-hooks/deploy/market-scanner-nginx.sh by letsencrypt.sh;
# with NGINX_CONF and NGINX_PREFIX set it reloads a private Nginx instead (`npm run host:up`).
set -eu
if [ -n "${NGINX_CONF:-}" ]; then
  nginx -t -q -c "$NGINX_CONF" -p "${NGINX_PREFIX:?}"
  nginx -s reload -c "$NGINX_CONF" -p "$NGINX_PREFIX"
else
  nginx -t -q
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx; then
    systemctl reload nginx
  else
    nginx -s reload
  fi
fi
echo "nginx reloaded for ${RENEWED_LINEAGE:-a new certificate}"
