#!/usr/bin/env bash
# npm run docker-push: push $ECR/<name>:<version> (tagged by npm run docker-build) to ECR.
# Run npm run ecr-login first; the repository must exist in ECR.
source "$(dirname "$0")/lib.sh"
ECR="$(env_require ECR "docker-push")"
ECR_HOST="$(env_require ECR_HOST "docker-push")"
case "${ECR%/}/" in
  "$ECR_HOST"/*) ;;
  *) die "ECR ($ECR) should start with ECR_HOST ($ECR_HOST)/: check .env" ;;
esac
require_engine
target="${ECR%/}/$IMAGE_NAME:$IMAGE_VERSION"
"$DOCKER" image inspect "$target" >/dev/null 2>&1 \
  || die "no local image $target: run 'npm run docker-build' (with ECR set in .env) first"
say "pushing $target"
"$DOCKER" push "$target"
