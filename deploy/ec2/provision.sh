#!/usr/bin/env bash
# Provisions one EC2 instance (Ubuntu 24.04 or Amazon Linux 2023) for the single-host layout:
# Node 24 LTS (the version in .node-version), Nginx, Supervisor, certbot, Redis (AOF everysec, noeviction,
# a password, dangerous commands disabled), optionally PostgreSQL,
# the unprivileged `scanner` user, /srv/market-scanner, /etc/market-scanner/env, the systemd unit,
# the Nginx site (self-signed until deploy/tls/letsencrypt.sh runs). Idempotent: run it again after
# changing a flag, or to repair a host; it never overwrites a value you edited in the env file
# except the ones you pass as flags.
#
#   sudo deploy/ec2/provision.sh --domain api.example.com --repo https://github.com/OWNER/market-scanner.git \
#        [--ref main] [--email ops@example.com] [--with-postgres] [--api-procs 2] [--worker-procs 2] \
#        [--redis-maxmemory 1gb]
#
# --ref deploys that ref at the end (deploy/deploy.sh); --email also obtains a Let's Encrypt
# certificate (DNS must already point here). Run it from a checkout of this repository.
#
# A host of a fleet (deploy/aws/fleet.stack.ts) runs one role and shares managed PostgreSQL and Redis:
#   --role api|worker   no local Redis, PostgreSQL, Nginx or certbot (the load balancer terminates
#                       TLS); only that role's processes (the other count is 0); an api host listens
#                       on every address (API_HOST=0.0.0.0) for the load balancer
#   --env-from FILE     KEY=VALUE lines merged into the env file (DATABASE_URL, REDIS_URL, …) before
#                       the first release; values may hold any character but a single quote
set -euo pipefail

die() { echo "provision: $*" >&2; exit 1; }
log() { echo "[provision] $*" >&2; }
[[ $EUID -eq 0 ]] || die "run as root (sudo)"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) # deploy/

domain="" repo="" ref="" email="" with_pg=0 api_procs="" worker_procs="" redis_maxmemory="" role=single env_from=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --domain) domain=$2; shift 2 ;;
    --repo) repo=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --email) email=$2; shift 2 ;;
    --with-postgres) with_pg=1; shift ;;
    --api-procs) api_procs=$2; shift 2 ;;
    --worker-procs) worker_procs=$2; shift 2 ;;
    --redis-maxmemory) redis_maxmemory=$2; shift 2 ;;
    --role) role=$2; shift 2 ;;
    --env-from) env_from=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
case $role in
  single) ;;
  api) worker_procs=0; : "${api_procs:=2}" ;;
  worker) api_procs=0; : "${worker_procs:=2}" ;;
  *) die "--role is api or worker (none: the single host)" ;;
esac
[[ $role == single || ( $with_pg -eq 0 && -z $email ) ]] || die "--with-postgres and --email are for the single host"
[[ -z $env_from || -r $env_from ]] || die "--env-from $env_from: not readable"
# Local services and the edge: the single host only.
local_services() { [[ $role == single ]]; }

# shellcheck disable=SC1091
. /etc/os-release
case "$ID:$VERSION_ID" in
  ubuntu:24.04) os=ubuntu ;;
  amzn:2023) os=al2023 ;;
  *) die "supported: Ubuntu 24.04, Amazon Linux 2023 (this is $ID $VERSION_ID)" ;;
esac
log "provisioning for $PRETTY_NAME"

APP_USER=scanner
ROOT=/srv/market-scanner
ETC=/etc/market-scanner
ENV_FILE=$ETC/env

# ── packages ────────────────────────────────────────────────────────────────────────────────
if [[ $os == ubuntu ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # build-essential + python3: node-gyp for the optional native dev dependencies at build time.
  apt-get install -y -q supervisor git curl ca-certificates xz-utils build-essential python3 util-linux openssl
  if local_services; then apt-get install -y -q nginx certbot redis-server; fi
  [[ $with_pg -eq 0 ]] || apt-get install -y -q postgresql
  REDIS_CONF=/etc/redis/redis.conf REDIS_UNIT=redis-server PG_UNIT=postgresql
else
  dnf install -y -q git tar xz gcc-c++ make python3 python3-pip util-linux openssl cronie
  if local_services; then dnf install -y -q nginx redis6; fi
  [[ $with_pg -eq 0 ]] || dnf install -y -q postgresql16-server postgresql16
  REDIS_CONF=/etc/redis6/redis6.conf REDIS_UNIT=redis6 PG_UNIT=postgresql
  # Supervisor and certbot are not in Amazon Linux 2023's repositories: pinned, in their own venvs.
  if [[ ! -x /opt/supervisor/bin/pip ]]; then python3 -m venv /opt/supervisor; fi
  /opt/supervisor/bin/pip install -q 'supervisor==4.2.5'
  for bin in supervisord supervisorctl; do ln -sfn "/opt/supervisor/bin/$bin" "/usr/local/bin/$bin"; done
  if local_services; then
    if [[ ! -x /opt/certbot/bin/pip ]]; then python3 -m venv /opt/certbot; fi
    /opt/certbot/bin/pip install -q 'certbot==2.11.0'
    ln -sfn /opt/certbot/bin/certbot /usr/local/bin/certbot
    install -m 0644 "$HERE/systemd/certbot-renew.service" "$HERE/systemd/certbot-renew.timer" /etc/systemd/system/
    systemctl daemon-reload
    systemctl enable --now certbot-renew.timer
  fi
fi

# ── Node 24 LTS, exactly the version pinned in .node-version (official build, checksum-verified) ──
node_version=$(tr -d ' \nv' <"$HERE/../.node-version")
if [[ $({ /usr/local/bin/node -v 2>/dev/null || echo v0; } | tr -d v) != "$node_version" ]]; then
  arch=$(uname -m); case $arch in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) die "no Node build for $arch" ;; esac
  base=https://nodejs.org/dist/v$node_version
  file=node-v$node_version-linux-$arch.tar.xz
  tmp=$(mktemp -d)
  curl -fsSL "$base/SHASUMS256.txt" -o "$tmp/SHASUMS256.txt"
  grep -q " $file\$" "$tmp/SHASUMS256.txt" || die "no Node $node_version build listed for linux-$arch"
  curl -fsSL "$base/$file" -o "$tmp/$file"
  (cd "$tmp" && grep " $file\$" SHASUMS256.txt | sha256sum -c -) || die "Node download checksum mismatch"
  mkdir -p /opt/node
  tar -xJf "$tmp/$file" -C /opt/node
  dir=/opt/node/${file%.tar.xz}
  for bin in node npm npx; do ln -sfn "$dir/bin/$bin" "/usr/local/bin/$bin"; done
  rm -rf "$tmp"
  log "installed $(/usr/local/bin/node -v)"
fi

# ── user and folders ────────────────────────────────────────────────────────────────────────
if ! id "$APP_USER" >/dev/null 2>&1; then
  useradd --system --home-dir "$ROOT" --shell "$(command -v nologin)" --user-group "$APP_USER"
fi
install -d -o "$APP_USER" -g "$APP_USER" -m 0755 "$ROOT" "$ROOT/releases"
install -d -o "$APP_USER" -g "$APP_USER" -m 0750 /var/log/market-scanner /var/lib/market-scanner
install -d -o root -g "$APP_USER" -m 0750 "$ETC" "$ETC/tls"
install -d -m 0755 /var/www/certbot

# ── env file ────────────────────────────────────────────────────────────────────────────────
# KEY VALUE: the key's line replaced (or added), the value single-quoted. Not sed: a value with
# `&`, `|` or `\` (a URL's query string, a password) would be mangled by a sed replacement.
set_env() {
  [[ $1 =~ ^[A-Z][A-Z0-9_]*$ ]] || die "env: bad key $1"
  [[ $2 != *"'"* ]] || die "env: the value of $1 holds a single quote"
  local tmp
  tmp=$(mktemp)
  grep -v "^$1=" "$ENV_FILE" >"$tmp" || true
  printf "%s='%s'\n" "$1" "$2" >>"$tmp"
  cat "$tmp" >"$ENV_FILE" # keeps the file's owner and mode
  rm -f "$tmp"
}
if [[ ! -f $ENV_FILE ]]; then
  install -o root -g "$APP_USER" -m 0640 "$HERE/env.example" "$ENV_FILE"
  log "wrote $ENV_FILE from deploy/env.example: review DATABASE_URL"
fi
[[ -z $domain ]] || set_env SERVER_NAME "$domain"
[[ -z $repo ]] || set_env REPO_URL "$repo"
[[ -z $api_procs ]] || set_env API_PROCS "$api_procs"
[[ -z $worker_procs ]] || set_env WORKER_PROCS "$worker_procs"
set_env NODE_BIN /usr/local/bin/node
if [[ $role == api ]]; then set_env API_HOST 0.0.0.0; fi
# No Nginx on a fleet host: deploy.sh renders a site only where NGINX_SITE names one.
if ! local_services; then set_env NGINX_SITE ''; fi
if [[ -n $env_from ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    [[ -z $line || $line == \#* ]] && continue
    set_env "${line%%=*}" "${line#*=}"
  done <"$env_from"
fi
chown root:"$APP_USER" "$ENV_FILE"
chmod 0640 "$ENV_FILE"

# ── Redis for BullMQ (deploy/redis/configure.sh): AOF everysec, noeviction, loopback only, a
#    password generated once (root-only in $ETC/redis-password, in REDIS_URL of the env file) and
#    the dangerous commands disabled (deploy/redis/hardening.conf) ──────────────────────────────
if local_services; then
  mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)
  : "${redis_maxmemory:=$((mem_kb / 4 / 1024))mb}"
  sh "$HERE/redis/configure.sh" --main-conf "$REDIS_CONF" --secret "$ETC/redis-password" \
    --env-file "$ENV_FILE" --maxmemory "$redis_maxmemory"
  chown root:"$APP_USER" "$ENV_FILE" # configure.sh rewrote REDIS_URL in it
  chmod 0640 "$ENV_FILE"
  systemctl enable "$REDIS_UNIT"
  systemctl restart "$REDIS_UNIT"
  redis_cli=$(command -v redis-cli || command -v redis6-cli) || die "no redis-cli"
  [[ $("$redis_cli" -p 6379 ping 2>&1) == *NOAUTH* ]] || die "Redis answers without its password"
  # CONFIG is disabled: INFO shows the policy in force.
  REDISCLI_AUTH=$(cat "$ETC/redis-password") "$redis_cli" -p 6379 info memory | tr -d '\r' |
    grep -qx 'maxmemory_policy:noeviction' || die "Redis did not take noeviction"
fi

# ── PostgreSQL (optional: a managed database is the usual choice) ──────────────────────────
if [[ $with_pg -eq 1 ]]; then
  if [[ $os == al2023 && ! -f /var/lib/pgsql/data/PG_VERSION ]]; then postgresql-setup --initdb; fi
  systemctl enable --now "$PG_UNIT"
  if grep -q "CHANGE_ME" "$ENV_FILE"; then
    password=$(openssl rand -hex 24)
    set_env DATABASE_URL "postgres://scanner:$password@127.0.0.1:5432/scanner"
  fi
  password=$(sed -n "s|^DATABASE_URL='postgres://scanner:\([^@]*\)@.*|\1|p" "$ENV_FILE")
  runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'scanner') THEN CREATE ROLE scanner LOGIN; END IF;
END \$\$;
ALTER ROLE scanner PASSWORD '$password';
SQL
  runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'scanner'" | grep -q 1 ||
    runuser -u postgres -- createdb -O scanner scanner
  # Password logins over loopback (Amazon Linux defaults to ident).
  hba=$(runuser -u postgres -- psql -tAc 'SHOW hba_file')
  grep -q "market-scanner" "$hba" || sed -i "1i host scanner scanner 127.0.0.1/32 scram-sha-256 # market-scanner" "$hba"
  systemctl reload "$PG_UNIT"
fi

# ── Supervisor under systemd: our unit only ────────────────────────────────────────────────
if systemctl list-unit-files supervisor.service >/dev/null 2>&1; then systemctl disable --now supervisor.service || true; fi
install -m 0644 "$HERE/systemd/market-scanner.service" /etc/systemd/system/market-scanner.service
install -d /etc/systemd/system/market-scanner.service.d
{
  echo "# Written by deploy/ec2/provision.sh: the services on this host the app needs."
  echo "[Unit]"
  if local_services; then echo "Wants=$REDIS_UNIT.service"; fi
  [[ $with_pg -eq 0 ]] || echo "Wants=$PG_UNIT.service"
} >/etc/systemd/system/market-scanner.service.d/10-local-services.conf
systemctl daemon-reload
systemctl enable market-scanner.service
install -m 0755 "$HERE/ctl.sh" /usr/local/bin/market-scanner-ctl

# ── Nginx: our site, a self-signed certificate until Let's Encrypt has issued one ─────────
if local_services; then
  rm -f /etc/nginx/sites-enabled/default
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
  if [[ ! -s $TLS_CERT ]]; then
    sh "$HERE/tls/self-signed.sh" "$ETC/tls" "$SERVER_NAME"
    chmod 0640 "$ETC/tls/"*.key
  fi
  systemctl enable nginx
  systemctl start nginx
  ENV_FILE=$ENV_FILE sh "$HERE/nginx/install-site.sh"
  if [[ -n $email ]]; then ENV_FILE=$ENV_FILE sh "$HERE/tls/letsencrypt.sh" "$SERVER_NAME" "$email"; fi
fi

# ── first release ───────────────────────────────────────────────────────────────────────────
if [[ -n $ref ]]; then
  ENV_FILE=$ENV_FILE bash "$HERE/deploy.sh" --ref "$ref"
  systemctl start market-scanner.service
fi
log "done. Next: review $ENV_FILE; deploy with: sudo ENV_FILE=$ENV_FILE $ROOT/current/deploy/deploy.sh --ref <sha>"
