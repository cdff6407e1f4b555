#!/usr/bin/env bash
# Build the CI stand-ins for the official base images, from Debian's mirror and this machine's
# Node, because no container registry is reachable here:
#   does-it-scale/debian-standin:bookworm   debootstrap --variant=minbase bookworm
#   does-it-scale/node-standin:<N>-bookworm the machine's node N + npm + CA bundle, user node (1000)
#   does-it-scale/nginx-standin:bookworm    Debian's nginx-light
# Existing images are reused (pass --rebuild to redo them). Needs root (debootstrap).
# Users never need this: they build from the official node and nginx images.
source "$(dirname "$0")/lib.sh"
require_engine

REBUILD=0; [ "${1:-}" = "--rebuild" ] && REBUILD=1
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
DEBIAN_STANDIN="does-it-scale/debian-standin:bookworm"
NODE_STANDIN="does-it-scale/node-standin:${NODE_MAJOR}-bookworm"
NGINX_STANDIN="does-it-scale/nginx-standin:bookworm"
BUILD_NETWORK=(--network "$( [ "$(dkr_network)" = host ] && echo host || echo default )")

have_image() { [ "$REBUILD" = 0 ] && "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT

build_debian() {
  if have_image "$DEBIAN_STANDIN"; then say "reusing $DEBIAN_STANDIN"; return; fi
  command -v debootstrap >/dev/null || die "debootstrap missing: bash scripts/container/engine.sh install"
  local rootfs="$WORK_DIR/rootfs" mirror
  mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  say "debootstrap minbase bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$WORK_DIR/debootstrap.log" 2>&1 \
    || { tail -n 20 "$WORK_DIR/debootstrap.log" >&2; die "debootstrap failed"; }
  # The machines' mirror serves a dated snapshot whose Release files are past Valid-Until.
  echo 'Acquire::Check-Valid-Until "false";' > "$rootfs/etc/apt/apt.conf.d/99standin-snapshot"
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
  tar -C "$rootfs" -c . | "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$DEBIAN_STANDIN" >/dev/null
  say "built $DEBIAN_STANDIN"
}

build_node() {
  if have_image "$NODE_STANDIN"; then say "reusing $NODE_STANDIN"; return; fi
  local ctx="$WORK_DIR/node-context" npm_dir
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  mkdir -p "$ctx"
  cp "$(readlink -f "$(command -v node)")" "$ctx/node"
  cp -r "$npm_dir" "$ctx/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
  "$DOCKER" build -q "${BUILD_NETWORK[@]}" -f docker/standin/node.Dockerfile \
    --build-arg DEBIAN_IMAGE="$DEBIAN_STANDIN" \
    --label "org.opencontainers.image.description=CI stand-in holding the machine's Node $(node --version), not an official node image" \
    -t "$NODE_STANDIN" "$ctx" >/dev/null
  say "built $NODE_STANDIN (holds this machine's Node $(node --version))"
}

build_nginx() {
  if have_image "$NGINX_STANDIN"; then say "reusing $NGINX_STANDIN"; return; fi
  "$DOCKER" build -q "${BUILD_NETWORK[@]}" -f docker/standin/nginx.Dockerfile \
    --build-arg DEBIAN_IMAGE="$DEBIAN_STANDIN" -t "$NGINX_STANDIN" docker/standin >/dev/null
  say "built $NGINX_STANDIN (Debian's nginx-light)"
}

build_debian
build_node
build_nginx
"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep '^does-it-scale/' | sed 's/^/[container]   /'
