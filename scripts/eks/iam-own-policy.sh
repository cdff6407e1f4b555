#!/usr/bin/env bash
# Bring-your-own-role path (not needed with the default Pod Identity association):
#   bash scripts/eks/iam-own-policy.sh create   creates the customer-managed policy from
#        iam/iam-cluster-autoscaler-servicerole-policy.json and prints its ARN, to attach to
#        your own role (or to list under permissionPolicyARNs in eks/cluster-managed.yml), a role
#        whose trust policy is iam/pod-identity-trust-policy.json;
#   bash scripts/eks/iam-own-policy.sh delete   detaches it from every role and deletes it.
source "$(dirname "$0")/lib.sh"

eks_require_tools node aws
eks_load_settings
eks_require_aws_identity
policy_name="${EKS_CLUSTER_NAME}-cluster-autoscaler"
policy_arn="arn:aws:iam::${EKS_AWS_ACCOUNT}:policy/${policy_name}"

case "${1:-}" in
  create)
    if aws iam get-policy --policy-arn "$policy_arn" >/dev/null 2>&1; then
      k8s_say "policy exists: $policy_arn"
    else
      aws iam create-policy --policy-name "$policy_name" \
        --policy-document "file://$EKS_IAM_POLICY_FILE" \
        --description "cluster-autoscaler for EKS cluster $EKS_CLUSTER_NAME (does-it-scale)" >/dev/null
      k8s_say "created: $policy_arn"
    fi
    k8s_note "your role must trust pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession: aws iam create-role --role-name <your-role> --assume-role-policy-document file://iam/pod-identity-trust-policy.json"
    k8s_note "attach it: aws iam attach-role-policy --role-name <your-role> --policy-arn $policy_arn"
    ;;
  delete)
    aws iam get-policy --policy-arn "$policy_arn" >/dev/null 2>&1 || { k8s_say "no policy $policy_arn: nothing to delete"; exit 0; }
    for role in $(aws iam list-entities-for-policy --policy-arn "$policy_arn" --query 'PolicyRoles[].RoleName' --output text); do
      k8s_note "detaching from role $role"
      aws iam detach-role-policy --role-name "$role" --policy-arn "$policy_arn"
    done
    for version in $(aws iam list-policy-versions --policy-arn "$policy_arn" --query 'Versions[?!IsDefaultVersion].VersionId' --output text); do
      aws iam delete-policy-version --policy-arn "$policy_arn" --version-id "$version"
    done
    aws iam delete-policy --policy-arn "$policy_arn"
    k8s_say "deleted: $policy_arn"
    ;;
  *)
    k8s_die "usage: bash scripts/eks/iam-own-policy.sh create|delete"
    ;;
esac
