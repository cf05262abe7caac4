#!/bin/sh
# Configures a host's Redis for Market Scanner: loopback only, AOF everysec (waiting jobs survive a
# restart), noeviction (BullMQ's keys must never be evicted: writes fail loudly instead), a memory
# cap, a password, and the commands of hardening.conf disabled. Writes market-scanner.conf next to
# the server's main file (included at its end, so it wins) and the app's REDIS_URL in the env file.
# Called by deploy/ec2/provision.sh; test/redis-auth.e2e-spec.ts runs it on scratch files and
# starts a redis-server from what it wrote. Idempotent: a second run keeps the password.
#
#   sh deploy/redis/configure.sh --main-conf /etc/redis/redis.conf \
#      --secret /etc/market-scanner/redis-password --env-file /etc/market-scanner/env --maxmemory 1gb
set -eu
die() { echo "redis/configure: $*" >&2; exit 1; }
main_conf="" secret="" env_file="" maxmemory=""
while [ $# -gt 0 ]; do
  case $1 in
    --main-conf) main_conf=$2; shift 2 ;;
    --secret) secret=$2; shift 2 ;;
    --env-file) env_file=$2; shift 2 ;;
    --maxmemory) maxmemory=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
if [ -z "$main_conf" ] || [ -z "$secret" ] || [ -z "$env_file" ] || [ -z "$maxmemory" ]; then
  die "usage: configure.sh --main-conf FILE --secret FILE --env-file FILE --maxmemory SIZE"
fi
[ -f "$main_conf" ] || die "no Redis configuration at $main_conf"
[ -f "$env_file" ] || die "no env file at $env_file"
here=$(cd "$(dirname "$0")" && pwd)
conf=$(dirname "$main_conf")/market-scanner.conf

# The password: generated once and kept root-only (0600); later runs reuse it, so the REDIS_URL the
# apps hold stays valid. Hex, or any value of URL-safe characters put there by hand: it goes into
# REDIS_URL as it is.
if [ ! -s "$secret" ]; then
  (umask 077 && openssl rand -hex 32 >"$secret.new" && mv "$secret.new" "$secret")
fi
chmod 0600 "$secret"
password=$(cat "$secret")
case $password in
  '' | *[!A-Za-z0-9._~-]*) die "$secret must hold one line of letters, digits, '.', '_', '~' or '-'" ;;
esac

# Readable by the server (it runs as the owner of its main file) and by no one else: it holds the
# password. Written aside and moved, so Redis never reads half a file.
tmp=$(mktemp "$conf.XXXXXX")
{
  echo "# Written by deploy/redis/configure.sh (run it again, or provision.sh, to change it)."
  echo "bind 127.0.0.1 -::1"
  echo "protected-mode yes"
  echo "appendonly yes"
  echo "appendfsync everysec"
  echo "maxmemory $maxmemory"
  echo "maxmemory-policy noeviction"
  echo "requirepass $password"
  cat "$here/hardening.conf"
} >"$tmp"
chown "$(stat -c %u:%g "$main_conf")" "$tmp"
chmod 0640 "$tmp"
mv "$tmp" "$conf"
grep -qxF "include $conf" "$main_conf" || echo "include $conf" >>"$main_conf"

# The apps' REDIS_URL, when it names this server (db kept); one naming another Redis (a managed
# one) is left as it is.
current=$(sed -n "s/^REDIS_URL=//p" "$env_file" | tail -n 1 | tr -d "'\"")
case $current in
  '' | redis://127.0.0.1:6379 | redis://127.0.0.1:6379/* | redis://localhost:6379 | \
    redis://localhost:6379/* | redis://*@127.0.0.1:6379 | redis://*@127.0.0.1:6379/* | \
    redis://*@localhost:6379 | redis://*@localhost:6379/*)
    db=${current##*:6379}
    db=${db#/}
    case $db in '' | *[!0-9]*) db=0 ;; esac
    url="redis://:$password@127.0.0.1:6379/$db"
    if grep -q '^REDIS_URL=' "$env_file"; then
      sed -i "s|^REDIS_URL=.*|REDIS_URL='$url'|" "$env_file"
    else
      printf "REDIS_URL='%s'\n" "$url" >>"$env_file"
    fi
    ;;
  *) echo "redis/configure: REDIS_URL names another Redis; left as it is" >&2 ;;
esac
