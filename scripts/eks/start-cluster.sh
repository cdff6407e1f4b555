#!/usr/bin/env bash
# npm run eks-start-cluster: creates the EKS cluster described in eks/cluster-managed.yml
# (control plane, VPC with NAT gateway, managed node group, the add-ons vpc-cni with its
# network policy agent, metrics-server and the Pod Identity agent, and the cluster-autoscaler's
# Pod Identity association with the policy from iam/), then writes the kubeconfig context.
# Takes about 15-20 minutes. Idempotent: an existing cluster is only re-connected.
source "$(dirname "$0")/lib.sh"

eks_require_tools node aws eksctl kubectl
eks_load_settings
eks_require_consistent_files
eks_render_cluster_config
eks_check_eksctl_version
eks_require_aws_identity

if eks_cluster_exists; then
  k8s_say "cluster $EKS_CLUSTER_NAME already exists in $EKS_REGION: only refreshing the kubeconfig"
  eks_write_kubeconfig
  exit 0
fi

eks_confirm_costs "creating EKS cluster $EKS_CLUSTER_NAME in $EKS_REGION ($EKS_NODES_MIN to $EKS_NODES_MAX nodes)"
k8s_say "eksctl create cluster -f $EKS_CLUSTER_CONFIG (rendered with $EKS_IAM_POLICY_FILE; about 15-20 minutes)"
started=$SECONDS
printf '%s\n' "$EKS_RENDERED_CONFIG" | eksctl create cluster -f - --write-kubeconfig=false
eks_write_kubeconfig
k8s_say "cluster ready after $(((SECONDS - started) / 60)) min; nodes:"
kc get nodes -o wide
k8s_note "next: npm run eks-iam-get-role (check the autoscaler's identity), then npm run eks-start-common"
