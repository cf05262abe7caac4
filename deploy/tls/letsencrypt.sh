#!/bin/sh
# A Let's Encrypt certificate for the host's name, renewed automatically, Nginx reloaded on every
# renewal. Needs DNS pointing at this host and port 80 open (HTTP-01 through the webroot that the
# site serves at /.well-known/acme-challenge/).
#
#   sudo deploy/tls/letsencrypt.sh api.example.com ops@example.com [--staging]
#
# Idempotent: a valid certificate is kept (--keep-until-expiring). Renewal runs from certbot's
# systemd timer (Ubuntu's package) or deploy/systemd/certbot-renew.timer (provision.sh installs it
# where certbot came from pip); `certbot renew --dry-run` checks the whole path.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 DOMAIN EMAIL [--staging]" >&2; exit 2; }
domain=$1
email=$2
staging=${3:-}
ENV_FILE=${ENV_FILE:-/etc/market-scanner/env}
here=$(cd "$(dirname "$0")" && pwd)
webroot=/var/www/certbot

mkdir -p "$webroot" /etc/letsencrypt/renewal-hooks/deploy
# certbot/certbot#5034: a renewed certificate is served only after a reload; this hook runs after
# every successful renewal of any certificate on the host.
install -m 0755 "$here/reload-nginx.sh" /etc/letsencrypt/renewal-hooks/deploy/market-scanner-nginx.sh

# shellcheck disable=SC2086
certbot certonly --webroot -w "$webroot" -d "$domain" --email "$email" --agree-tos --no-eff-email \
  --non-interactive --keep-until-expiring --key-type ecdsa $staging

set_env() {
  if grep -q "^$1=" "$ENV_FILE"; then
    sed -i "s|^$1=.*|$1='$2'|" "$ENV_FILE"
  else
    printf "%s='%s'\n" "$1" "$2" >>"$ENV_FILE"
  fi
}
set_env SERVER_NAME "$domain"
set_env TLS_CERT "/etc/letsencrypt/live/$domain/fullchain.pem"
set_env TLS_KEY "/etc/letsencrypt/live/$domain/privkey.pem"
# Renders the site with the new paths and reloads Nginx (first issuance: the hook above runs on renewals).
ENV_FILE=$ENV_FILE "$here/../nginx/install-site.sh"
certbot renew --dry-run --cert-name "$domain"
echo "certificate for $domain installed; renewals reload nginx through /etc/letsencrypt/renewal-hooks/deploy/market-scanner-nginx.sh"
