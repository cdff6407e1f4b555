#!/usr/bin/env bash
# npm run docker-build: build the image and tag it <name>:<version> and <name>:latest
# (from package.json), plus $ECR/<name>:<version> when ECR is set in .env or the environment.
# NODE_IMAGE=... overrides the base image (CI passes its local stand-in).
source "$(dirname "$0")/lib.sh"
require_engine

names=("$IMAGE_NAME:$IMAGE_VERSION" "$IMAGE_NAME:latest")
ECR="$(env_get ECR)"
[ -n "$ECR" ] && names+=("${ECR%/}/$IMAGE_NAME:$IMAGE_VERSION")
tags=()
for name in "${names[@]}"; do tags+=(-t "$name"); done

args=()
[ -n "${NODE_IMAGE:-}" ] && args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
# Without a bridge (CI), RUN steps (npm ci) can only reach the registry on the host network.
[ "$(dkr_network)" = host ] && args+=(--network host)

say "building $IMAGE_NAME:$IMAGE_VERSION${NODE_IMAGE:+ from $NODE_IMAGE}"
"$DOCKER" build "${args[@]}" "${tags[@]}" .
say "tagged: ${names[*]}"
say "size: $("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE_NAME:$IMAGE_VERSION" | awk '{printf "%.0f MB", $1/1e6}')"
