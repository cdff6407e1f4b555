# Shared by scripts/eks/*.sh. Source it; do not run it.
#
# Reuses the Kubernetes tier's helpers (scripts/k8s/lib.sh: pinned versions from
# k8s/addons/versions.env, messages, kc/hc bound to one context) and adds what only EKS
# needs: the settings from eks/cluster-managed.yml and .env, AWS checks, cost warnings.
set -euo pipefail

EKS_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../k8s/lib.sh
source "$EKS_REPO_ROOT/scripts/k8s/lib.sh"
cd "$EKS_REPO_ROOT"

EKS_CLUSTER_CONFIG=eks/cluster-managed.yml
EKS_AUTOSCALER_VALUES=eks/cluster-autoscaler-values.yaml
EKS_EMISSARY_VALUES=eks/emissary-values-eks.yaml
EKS_IAM_POLICY_FILE=iam/iam-cluster-autoscaler-servicerole-policy.json
EKS_AUTOSCALER_RELEASE=cluster-autoscaler
EKS_AUTOSCALER_CHART_REPO=https://kubernetes.github.io/autoscaler
EKS_TSX="$EKS_REPO_ROOT/node_modules/.bin/tsx"

# Loads EKS_CLUSTER_NAME, EKS_REGION, EKS_K8S_VERSION, EKS_NODEGROUPS, EKS_NODES_MIN/MAX,
# EKS_AUTOSCALER_NAMESPACE, EKS_AUTOSCALER_SA, EKS_CONTEXT, ECR (scripts/eks/settings.ts),
# and points the k8s helpers (kc, hc) at the EKS context.
eks_load_settings() {
  [ -x "$EKS_TSX" ] || k8s_die "node_modules is missing: run 'npm install' first"
  local assignments
  assignments="$("$EKS_TSX" "$EKS_REPO_ROOT/scripts/eks/settings.ts")" || exit 1
  eval "$assignments"
  export K8S_CONTEXT="$EKS_CONTEXT"
}

# The ClusterConfig eksctl is given (scripts/eks/cluster-config.ts: eks/cluster-managed.yml with
# the autoscaler's policy from the IAM file). Sets EKS_RENDERED_CONFIG; pass it on stdin:
#   printf '%s\n' "$EKS_RENDERED_CONFIG" | eksctl ... -f -
eks_render_cluster_config() {
  EKS_RENDERED_CONFIG="$("$EKS_TSX" "$EKS_REPO_ROOT/scripts/eks/cluster-config.ts")" ||
    k8s_die "could not render $EKS_CLUSTER_CONFIG with $EKS_IAM_POLICY_FILE (see above)"
}

# Refuses to go on when the EKS files disagree (scripts/eks/consistency.ts names each problem).
eks_require_consistent_files() {
  "$EKS_TSX" "$EKS_REPO_ROOT/scripts/eks/consistency.ts" || k8s_die "the EKS files disagree (see above); fix them first"
}

# Like k8s_require_tools, with install hints for the AWS tools. Call before creating anything.
eks_require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 && continue
    case "$tool" in
      aws) k8s_die "'aws' is not installed: install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), then 'aws configure' or 'aws sso login'" ;;
      eksctl) k8s_die "'eksctl' is not installed: install eksctl 0.230 or later (https://eksctl.io/installation/)" ;;
      *) k8s_require_tools "$tool" ;;
    esac
  done
}

# The AWS account the CLI is logged in to (fails with a hint when there are no credentials).
eks_require_aws_identity() {
  local account
  account="$(aws sts get-caller-identity --query Account --output text 2>/dev/null)" ||
    k8s_die "the aws CLI has no working credentials: run 'aws configure' (access keys) or 'aws sso login', then retry"
  EKS_AWS_ACCOUNT="$account"
  k8s_note "AWS account $EKS_AWS_ACCOUNT, cluster $EKS_CLUSTER_NAME in $EKS_REGION"
}

# Warns that eksctl older than the schema this config was validated against may reject it.
eks_check_eksctl_version() {
  local version
  version="$(eksctl version 2>/dev/null | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p' | head -n 1)"
  case "$version" in
    0.*) if [ "${version#0.}" -lt 230 ] 2>/dev/null; then
        k8s_note "warning: eksctl $version is older than 0.230, the version whose schema test/eks checks eks/cluster-managed.yml against"
      fi ;;
  esac
}

eks_require_ecr() {
  [ -n "$ECR" ] || k8s_die "ECR is not set. Put ECR=<account>.dkr.ecr.<region>.amazonaws.com in .env (see .env.example and docs/container.md), then run npm run ecr-login, docker-build and docker-push"
}

eks_cluster_exists() {
  aws eks describe-cluster --name "$EKS_CLUSTER_NAME" --region "$EKS_REGION" >/dev/null 2>&1
}

# Writes (or refreshes) the kubeconfig entry for the cluster under the name $EKS_CONTEXT.
eks_write_kubeconfig() {
  aws eks update-kubeconfig --name "$EKS_CLUSTER_NAME" --region "$EKS_REGION" --alias "$EKS_CONTEXT" >/dev/null
  k8s_note "kubeconfig context: $EKS_CONTEXT"
}

# Prints a cost warning and asks for confirmation (EKS_YES=1 skips the question, e.g. in scripts).
eks_confirm_costs() {
  local what="$1"
  printf '\n\033[1;33m%s\033[0m\n' "COST WARNING: $what" >&2
  printf '%s\n' \
    "  Billed by AWS until you delete it: the EKS control plane (per hour), every node" \
    "  (EC2, per second), the NAT gateway (per hour and per GB), the load balancer and" \
    "  EBS volumes. Tear down with: npm run eks-stop-cloud; npm run eks-stop-common;" \
    "  npm run eks-stop-cluster (docs/eks.md)." >&2
  if [ "${EKS_YES:-}" = 1 ]; then return; fi
  if [ ! -t 0 ]; then k8s_die "not a terminal: set EKS_YES=1 to confirm that AWS may bill you"; fi
  local answer
  read -r -p "Continue? [y/N] " answer
  case "$answer" in y|Y|yes) ;; *) k8s_die "stopped; nothing was created" ;; esac
}

# The gateway's public address: the hostname of the load balancer AWS gave Emissary's Service.
# Waits (bounded) because AWS assigns it asynchronously.
eks_gateway_hostname() {
  local tries="${1:-60}" i host=""
  for ((i = 1; i <= tries; i++)); do
    host="$(kc -n "$EMISSARY_NAMESPACE" get svc "$EMISSARY_RELEASE" -o jsonpath='{.status.loadBalancer.ingress[0].hostname}' 2>/dev/null || true)"
    [ -n "$host" ] && { echo "$host"; return 0; }
    sleep 5
  done
  k8s_die "the gateway's load balancer has no hostname after $((tries * 5)) s: kubectl --context $EKS_CONTEXT -n $EMISSARY_NAMESPACE describe svc $EMISSARY_RELEASE"
}

# cluster-autoscaler from the official chart at the pinned version, with its values file and
# the pinned image tag (k8s/addons/versions.env).
eks_install_autoscaler() {
  hc upgrade --install "$EKS_AUTOSCALER_RELEASE" cluster-autoscaler \
    --repo "$EKS_AUTOSCALER_CHART_REPO" --version "$CLUSTER_AUTOSCALER_CHART_VERSION" \
    --namespace "$EKS_AUTOSCALER_NAMESPACE" \
    --values "$EKS_AUTOSCALER_VALUES" \
    --set "image.tag=$CLUSTER_AUTOSCALER_VERSION" \
    --wait --timeout 5m
}

# Uninstalls a Helm release (waiting for its objects to go), or says it was not installed.
eks_uninstall_release() { # release namespace
  if hc status "$1" -n "$2" >/dev/null 2>&1; then
    hc uninstall "$1" -n "$2" --wait --timeout 10m
  else
    k8s_note "release $1 not installed"
  fi
}

# Fails fast, with EKS-specific hints, when the cluster's kubeconfig context is missing or
# its API server does not answer.
eks_require_reachable_cluster() {
  kubectl config get-contexts "$EKS_CONTEXT" >/dev/null 2>&1 ||
    k8s_die "no kubeconfig context '$EKS_CONTEXT': run npm run eks-start-cluster (it writes it; for an existing cluster it only refreshes it), or set EKS_CONTEXT in .env to your cluster's context"
  k8s_require_reachable_context
}
