#!/usr/bin/env bash
# Installs an AWS CLI v2 from Debian's awscli package when none is on PATH, so test/eks can run
# the scripts' aws calls through the real client (to a stand-in endpoint on 127.0.0.1).
# Used by .ci/run; needs root (apt-get). For your own use install the current v2:
# https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html
set -euo pipefail
for candidate in /usr/bin/aws "$(command -v aws || true)"; do
  if [ -n "$candidate" ] && "$candidate" --version 2>&1 | grep -q '^aws-cli/2\.'; then
    echo "AWS CLI v2 present: $("$candidate" --version 2>&1)"
    exit 0
  fi
done
command -v apt-get >/dev/null 2>&1 || { echo "error: no AWS CLI v2 and no apt-get: install AWS CLI v2 by hand" >&2; exit 1; }
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends awscli >/dev/null
/usr/bin/aws --version
