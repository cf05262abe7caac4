#!/usr/bin/env bash
# Deploys a release on one host (the single-host layout of DESIGN §7), or rolls back to the previous.
#
#   deploy/deploy.sh [--ref REF]        fetch REF (default: main) from REPO_URL, install, build,
#                                       migrate once, switch `current`, rolling restart
#   deploy/deploy.sh --release DIR      the same with a release already built in DIR (under releases/)
#   deploy/deploy.sh --rollback         back to the previous release (no migration), rolling restart
#   deploy/deploy.sh --restart          rolling restart of the current release
#   options: --no-migrate (another host of the same database migrates), --keep N (releases kept, 5)
#
# Rolling restart: api processes one at a time, each gated on its /health/ready (Nginx sends the
# requests of the process being restarted to the others and retries the safe ones that fail), then
# the workers one at a time (each finishes its running scan first: stopwaitsecs). When a gate fails
# after a switch, `current` goes back to the previous release and every process restarted so far is
# restarted again; the script then exits 1. Migrations are not reverted: they must stay compatible
# with the previous release (add first, drop in a later release).
#
# Environment: ENV_FILE (default /etc/market-scanner/env) with DEPLOY_ROOT, APP_DIR (the `current`
# symlink), REPO_URL, NODE_BIN, SUPERVISOR_CONF, RUN_DIR… (see deploy/env.example). Run as root (SSM)
# or as the app user; as root the release is built by APP_USER (default: scanner).
set -euo pipefail

ENV_FILE=${ENV_FILE:-/etc/market-scanner/env}
[[ -r $ENV_FILE ]] || { echo "deploy: cannot read $ENV_FILE (set ENV_FILE)" >&2; exit 2; }
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a
: "${DEPLOY_ROOT:?}" "${APP_DIR:?}" "${NODE_BIN:?}" "${SUPERVISOR_CONF:?}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

mode=deploy ref=main release="" migrate=1 keep=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --ref) ref=$2; shift 2 ;;
    --release) release=$(cd "$2" && pwd); mode=release; shift 2 ;;
    --rollback) mode=rollback; shift ;;
    --restart) mode=restart; shift ;;
    --no-migrate) migrate=0; shift ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "deploy: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { printf '[deploy %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
ctl() { supervisorctl -c "$SUPERVISOR_CONF" "$@"; }
APP_USER=${APP_USER-scanner}
as_app() {
  if [[ $EUID -eq 0 && -n $APP_USER ]] && id "$APP_USER" >/dev/null 2>&1; then
    runuser -u "$APP_USER" -- env HOME="$DEPLOY_ROOT" "$@"
  else
    "$@"
  fi
}

# One deploy at a time on this host.
mkdir -p "$DEPLOY_ROOT/releases"
exec 9>"$DEPLOY_ROOT/.deploy.lock"
flock -n 9 || die "another deploy is running on this host"

# Polls http://127.0.0.1:PORT/health/ready until 200 (default 60 s).
healthy() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  "$NODE_BIN" -e '
    const [port, seconds] = process.argv.slice(1).map(Number);
    const deadline = Date.now() + seconds * 1000;
    (async () => {
      while (Date.now() < deadline) {
        const ok = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(4000) }).then((r) => r.ok, () => false);
        if (ok) process.exit(0);
        await new Promise((r) => setTimeout(r, 250));
      }
      process.exit(1);
    })();' "$1" "${2:-60}"
}

# Names of a group's processes (api:api-1 …) as Supervisor reports them.
members() { ctl status "$1:*" 2>/dev/null | awk '{print $1}' | grep "^$1:" || true; }

# Restarts every process of a group, one at a time, each gated on its health port.
# Prints the names it restarted (for a rollback) on fd 3.
restart_group() {
  local group=$1 base=$2 name num
  for name in $(members "$group"); do
    num=${name##*-}
    log "restarting $name"
    echo "$name" >&3
    ctl restart "$name" >&2 || return 1
    healthy $((base + num)) 60 || { log "$name is not ready on port $((base + num))"; return 1; }
    log "$name ready on port $((base + num))"
  done
}

rolling_restart() {
  restart_group api 3000 && restart_group worker 3100
}

switch_to() {
  ln -sfn "$1" "$APP_DIR.tmp"
  mv -Tf "$APP_DIR.tmp" "$APP_DIR"
  log "current -> $1"
}

# Switches to $1 and restarts; on a failed gate goes back to the release that was current.
activate() {
  local target=$1 previous restarted
  previous=$(readlink "$APP_DIR" || true)
  [[ $target != "$previous" ]] || log "$target is already current: restarting it"
  switch_to "$target"
  if ! ctl pid >/dev/null 2>&1; then
    # First deploy of a host: nothing runs yet; the processes start on this release with the service.
    [[ -z $previous || $previous == "$target" ]] || echo "$previous" >"$DEPLOY_ROOT/previous"
    log "supervisord is not running: $target starts with it (systemctl start market-scanner)"
    return 0
  fi
  restarted=$(mktemp)
  if rolling_restart 3>"$restarted"; then
    rm -f "$restarted"
    [[ -z $previous || $previous == "$target" ]] || echo "$previous" >"$DEPLOY_ROOT/previous"
    log "deployed $target"
    return 0
  fi
  [[ -n $previous && $previous != "$target" ]] || die "the restart failed and there is no other release to go back to"
  log "rolling back to $previous"
  switch_to "$previous"
  local name base
  while read -r name; do
    base=3000
    [[ $name == worker:* ]] && base=3100
    log "restarting $name on the previous release"
    ctl restart "$name" >&2 || true
    healthy $((base + ${name##*-})) 60 || log "$name is not ready after the rollback either: look at its log"
  done <"$restarted"
  rm -f "$restarted"
  die "deploy of $target rolled back to $previous"
}

fetch_release() {
  local mirror="$DEPLOY_ROOT/repo.git" sha dir
  : "${REPO_URL:?REPO_URL is not set in $ENV_FILE}"
  if [[ ! -d $mirror ]]; then
    log "cloning $REPO_URL"
    as_app git clone --quiet --mirror "$REPO_URL" "$mirror"
  else
    as_app git --git-dir="$mirror" remote set-url origin "$REPO_URL"
    as_app git --git-dir="$mirror" fetch --quiet --prune origin
  fi
  sha=$(git --git-dir="$mirror" rev-parse --verify "$ref^{commit}") || die "unknown ref $ref"
  dir="$DEPLOY_ROOT/releases/$(date -u +%Y%m%d%H%M%S)-${sha:0:12}"
  for existing in "$DEPLOY_ROOT"/releases/*-"${sha:0:12}"; do
    if [[ -f $existing/.release-ready ]]; then
      log "release ${sha:0:12} is already built: $existing"
      echo "$existing"
      return
    fi
  done
  log "fetching ${sha:0:12} ($ref) into $dir"
  as_app mkdir -p "$dir"
  as_app sh -c "git --git-dir='$mirror' archive '$sha' | tar -x -C '$dir'"
  log "installing dependencies (npm ci from package-lock.json) and building"
  (
    cd "$dir"
    as_app npm ci --no-audit --no-fund --loglevel=error
    as_app "$NODE_BIN" node_modules/typescript/bin/tsc -b tsconfig.prod.json
    as_app npm prune --omit=dev --no-audit --no-fund --loglevel=error
    echo "$sha" | as_app tee .release-ready >/dev/null
  ) >&2 || die "build of ${sha:0:12} failed (the running release is untouched)"
  echo "$dir"
}

run_migrations() {
  [[ $migrate -eq 1 ]] || { log "migrations skipped (--no-migrate)"; return; }
  log "migrating the database (once, before any process runs the new code)"
  (cd "$1" && as_app "$NODE_BIN" dist/src/cli.js db migrate) >&2 || die "migration failed (the running release is untouched)"
}

prune_releases() {
  local current previous
  current=$(readlink -f "$APP_DIR" || true)
  previous=$(readlink -f "$(cat "$DEPLOY_ROOT/previous" 2>/dev/null || echo /nonexistent)" || true)
  # Newest first; keep $keep of them plus whatever is current or previous.
  find "$DEPLOY_ROOT/releases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -r | tail -n +$((keep + 1)) |
    while read -r old; do
      [[ $DEPLOY_ROOT/releases/$old == "$current" || $DEPLOY_ROOT/releases/$old == "$previous" ]] && continue
      log "removing old release $old"
      rm -rf "${DEPLOY_ROOT:?}/releases/$old"
    done
}

refresh_nginx() {
  # A host renders its site from the release's template; host:up renders its own.
  if [[ -n ${NGINX_SITE:-} ]]; then ENV_FILE=$ENV_FILE "$HERE/nginx/install-site.sh" >&2 || die "nginx site update failed"; fi
}

case $mode in
  restart)
    log "rolling restart of $(readlink "$APP_DIR")"
    rolling_restart 3>/dev/null || die "rolling restart failed"
    log "all processes restarted and ready"
    ;;
  rollback)
    [[ -s $DEPLOY_ROOT/previous ]] || die "no previous release recorded in $DEPLOY_ROOT/previous"
    target=$(cat "$DEPLOY_ROOT/previous")
    [[ -d $target ]] || die "previous release $target is gone"
    log "rolling back to $target (migrations are not reverted)"
    activate "$target"
    ;;
  deploy | release)
    if [[ $mode == deploy ]]; then target=$(fetch_release); else target=$release; fi
    [[ -f $target/dist/apps/api/main.js && -f $target/dist/apps/worker/main.js ]] || die "$target has no built apps"
    run_migrations "$target"
    activate "$target"
    refresh_nginx
    prune_releases
    ;;
esac
