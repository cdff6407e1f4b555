#!/usr/bin/env bash
# npm run eks-stop-cluster: deletes the EKS cluster, its node group, VPC and NAT gateway, the
# Pod Identity association and the IAM roles eksctl created (about 10-15 minutes).
# Not deleted: the ECR repository and its images, and a policy you created yourself with
# scripts/eks/iam-own-policy.sh (commands printed at the end).
source "$(dirname "$0")/lib.sh"

eks_require_tools node aws eksctl
eks_load_settings
eks_render_cluster_config
eks_require_aws_identity

if ! eks_cluster_exists; then
  k8s_say "no cluster $EKS_CLUSTER_NAME in $EKS_REGION: nothing to delete"
else
  # A load balancer left behind by a Service keeps its network interfaces in the VPC and
  # makes the VPC deletion fail: refuse unless eks-stop-common ran (or EKS_FORCE=1).
  if command -v kubectl >/dev/null 2>&1 && kc --request-timeout=10s get --raw /readyz >/dev/null 2>&1; then
    left="$(kc get svc --all-namespaces -o jsonpath='{range .items[?(@.spec.type=="LoadBalancer")]}{.metadata.namespace}/{.metadata.name} {end}')"
    if [ -n "$left" ] && [ "${EKS_FORCE:-}" != 1 ]; then
      k8s_die "Services of type LoadBalancer still exist ($left): run npm run eks-stop-cloud and eks-stop-common first (or EKS_FORCE=1 to delete anyway)"
    fi
  fi
  k8s_say "eksctl delete cluster -f $EKS_CLUSTER_CONFIG (about 10-15 minutes)"
  printf '%s\n' "$EKS_RENDERED_CONFIG" | eksctl delete cluster -f - --wait
fi
# The kubeconfig entries eks-start-cluster wrote (aws eks update-kubeconfig names the cluster
# and the user by the cluster's ARN, the context by --alias).
cluster_arn="arn:aws:eks:$EKS_REGION:$EKS_AWS_ACCOUNT:cluster/$EKS_CLUSTER_NAME"
kubectl config delete-context "$EKS_CONTEXT" >/dev/null 2>&1 && k8s_note "removed kubeconfig context $EKS_CONTEXT" || true
kubectl config delete-cluster "$cluster_arn" >/dev/null 2>&1 && k8s_note "removed kubeconfig cluster $cluster_arn" || true
kubectl config delete-user "$cluster_arn" >/dev/null 2>&1 && k8s_note "removed kubeconfig user $cluster_arn" || true

k8s_say "Left in your account on purpose (delete when you are done):"
k8s_note "ECR images:   aws ecr delete-repository --repository-name ${ECR_REPOSITORY:-[<namespace>/]$(node -p "require('./package.json').name")} --region ${ECR_REGION:-<ECR region>} --force"
k8s_note "own IAM policy (only if you created one): bash scripts/eks/iam-own-policy.sh delete"
k8s_note "check nothing is billed: aws eks list-clusters --region $EKS_REGION; aws elbv2 describe-load-balancers --region $EKS_REGION"
