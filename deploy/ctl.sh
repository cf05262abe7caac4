#!/bin/sh
# supervisorctl for Market Scanner, with the environment supervisord was started with (its config
# expands %(ENV_…)s), plus one verb of ours:
#
#   deploy/ctl.sh status | tail -f api:api-1 | restart worker:worker-2 | …   any supervisorctl command
#   deploy/ctl.sh scale worker N      run N worker processes from now on (reread + update the worker
#                                     group: running workers drain their scan, the api is untouched)
#
# ENV_FILE defaults to /etc/market-scanner/env (a host); `npm run host:up` writes .local/host/env.
set -eu
ENV_FILE=${ENV_FILE:-/etc/market-scanner/env}
[ -r "$ENV_FILE" ] || { echo "ctl.sh: cannot read $ENV_FILE (set ENV_FILE)" >&2; exit 2; }
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a
ctl() { supervisorctl -c "$SUPERVISOR_CONF" "$@"; }

if [ "${1:-}" = "scale" ]; then
  if [ "${2:-}" != "worker" ] || [ -z "${3:-}" ]; then echo "usage: ctl.sh scale worker N" >&2; exit 2; fi
  case $3 in *[!0-9]* | 0 | 0?*) echo "ctl.sh: N must be 1..99" >&2; exit 2 ;; esac
  [ "$3" -le 99 ] || { echo "ctl.sh: N must be 1..99" >&2; exit 2; }
  mkdir -p "$STATE_DIR"
  # The override outlives a supervisord restart; to make it permanent on a host, also set
  # WORKER_PROCS in the env file.
  # Options of an included file override the same option of supervisord.conf: only the worker group
  # changes (an [supervisord] environment= would leak into every program and "change" the api too).
  printf '; written by deploy/ctl.sh scale worker %s\n[program:worker]\nnumprocs=%s\n' "$3" "$3" \
    > "$STATE_DIR/supervisor-scale.conf"
  ctl reread
  ctl update worker
  # `update` returns once the group is re-added; wait (≤ 60 s) until every worker is RUNNING.
  i=0
  while printf '%s\n' "$(ctl status 'worker:*' || true)" | grep -qv ' RUNNING '; do
    i=$((i + 1))
    [ "$i" -le 240 ] || { ctl status 'worker:*'; echo "ctl.sh: workers not RUNNING after 60 s" >&2; exit 1; }
    sleep 0.25
  done
  ctl status 'worker:*'
  exit 0
fi
exec supervisorctl -c "$SUPERVISOR_CONF" "$@"
