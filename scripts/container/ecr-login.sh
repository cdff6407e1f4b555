#!/usr/bin/env bash
# npm run ecr-login: log the Docker client in to Amazon ECR, using ECR_HOST and ECR_REGION
# from .env (or the environment). Needs the AWS CLI v2 with credentials for that account.
source "$(dirname "$0")/lib.sh"
ECR_REGION="$(env_require ECR_REGION "ecr-login")"
ECR_HOST="$(env_require ECR_HOST "ecr-login")"
command -v aws >/dev/null 2>&1 \
  || die "ecr-login needs the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)"
require_engine
say "logging in to $ECR_HOST ($ECR_REGION)"
password="$(aws ecr get-login-password --region "$ECR_REGION")" \
  || die "aws ecr get-login-password failed (credentials? region?): see the AWS CLI message above"
printf '%s' "$password" | "$DOCKER" login --username AWS --password-stdin "$ECR_HOST"
