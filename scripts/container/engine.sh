#!/usr/bin/env bash
# The Docker engine for CI and Linux boxes without Docker Desktop.
#   engine.sh install   apt-get install Debian's docker.io, docker-compose and debootstrap (root)
#   engine.sh start     start dockerd (no bridge, no iptables changes) unless one already answers
#   engine.sh stop      stop the dockerd this script started (a reused one is left alone)
#   engine.sh status
# Users with Docker Desktop or a docker service never need this script.
source "$(dirname "$0")/lib.sh"

STATE_DIR="$REPO_ROOT/.docker-state"
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"

install_engine() {
  if command -v dockerd >/dev/null 2>&1 && command -v docker-compose >/dev/null 2>&1 \
     && command -v debootstrap >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then
    say "docker.io, docker-compose and debootstrap already installed"
    return
  fi
  [ "$(id -u)" = 0 ] || die "installing the engine needs root (apt-get install docker.io docker-compose debootstrap)"
  # Other jobs on the machine may hold the dpkg lock: wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    docker.io docker-compose debootstrap >/dev/null
  say "installed: $(/usr/bin/docker --version)"
}

start_engine() {
  if /usr/bin/docker info >/dev/null 2>&1 || "$DOCKER" info >/dev/null 2>&1; then
    say "a Docker engine already answers: reusing it"
    return
  fi
  command -v dockerd >/dev/null 2>&1 || die "no dockerd: run 'bash scripts/container/engine.sh install' first"
  [ "$(id -u)" = 0 ] || die "starting dockerd needs root"
  if pgrep -x dockerd >/dev/null; then
    # Never start a second daemon (a --bridge=none one would delete another's docker0).
    say "a dockerd process exists but does not answer yet: waiting for it"
  else
    mkdir -p "$STATE_DIR"
    # No bridge, no iptables/forwarding changes: containers use host networking on 127.0.0.1.
    # Only stdin, stdout and stderr go to the daemon: run under `flock /tmp/docker.lock ...`,
    # it would otherwise inherit the lock's file descriptor and hold the lock as long as it runs.
    (
      for fd in /proc/self/fd/*; do fd="${fd##*/}"; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
      exec setsid dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
        >"$LOG_FILE" 2>&1 < /dev/null
    ) &
    echo $! > "$PID_FILE"
    say "started dockerd (pid $(cat "$PID_FILE"), log $LOG_FILE)"
  fi
  for _ in $(seq 1 150); do
    if "$DOCKER" info >/dev/null 2>&1; then
      say "engine ready: server $("$DOCKER" version --format '{{.Server.Version}}')"
      return
    fi
    sleep 0.2
  done
  tail -n 20 "$LOG_FILE" >&2 || true
  die "dockerd did not answer within 30s"
}

stop_engine() {
  if [ ! -f "$PID_FILE" ]; then
    say "no dockerd started by this script: nothing to stop"
    return
  fi
  local pid; pid="$(cat "$PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && die "dockerd (pid $pid) still running 30s after SIGTERM"
  fi
  rm -f "$PID_FILE"
  # dockerd leaves an nsfs mount behind when it exits.
  if mountpoint -q /var/run/docker/netns/default 2>/dev/null; then
    umount /var/run/docker/netns/default || true
  fi
  say "dockerd stopped"
}

case "${1:-}" in
  install) install_engine ;;
  start) start_engine ;;
  stop) stop_engine ;;
  status) "$DOCKER" info --format 'engine {{.ServerVersion}}, {{.Containers}} containers, {{.Images}} images' ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
