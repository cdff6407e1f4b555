#!/usr/bin/env bash
# npm run eks-iam-get-role: shows which IAM role cluster-autoscaler gets (the EKS Pod
# Identity association eksctl created from eks/cluster-managed.yml, with the inline policy
# from iam/iam-cluster-autoscaler-servicerole-policy.json), the policies on it, and checks
# that the node role does NOT carry autoscaling permissions.
# (Successor of the seed's step that looked up the node role to attach the policy to it:
# with Pod Identity nothing needs attaching by hand. For a role you bring yourself, see
# scripts/eks/iam-own-policy.sh and docs/eks.md.)
source "$(dirname "$0")/lib.sh"

eks_require_tools node aws eksctl
eks_load_settings
eks_require_aws_identity
eks_cluster_exists || k8s_die "cluster $EKS_CLUSTER_NAME does not exist in $EKS_REGION: run npm run eks-start-cluster first"

# eksctl, not the aws CLI, reads the association: AWS CLI v2 before 2.14 has no Pod Identity commands.
associations="$(eksctl get podidentityassociation --cluster "$EKS_CLUSTER_NAME" --region "$EKS_REGION" \
  --namespace "$EKS_AUTOSCALER_NAMESPACE" --service-account-name "$EKS_AUTOSCALER_SA" --output json)" ||
  k8s_die "eksctl could not list the Pod Identity associations of $EKS_CLUSTER_NAME (see above)"
role_arn="$(node -e 'const a = JSON.parse(require("fs").readFileSync(0, "utf8")) ?? []; process.stdout.write(a[0]?.RoleARN ?? "")' <<<"$associations")"
if [ -z "$role_arn" ]; then
  k8s_die "no Pod Identity association for $EKS_AUTOSCALER_NAMESPACE/$EKS_AUTOSCALER_SA: create it with 'node_modules/.bin/tsx scripts/eks/cluster-config.ts | eksctl create podidentityassociation -f -'"
fi
role_name="${role_arn##*/}"
k8s_say "cluster-autoscaler ($EKS_AUTOSCALER_NAMESPACE/$EKS_AUTOSCALER_SA) uses role: $role_arn"
k8s_note "managed policies:"
aws iam list-attached-role-policies --role-name "$role_name" --query 'AttachedPolicies[].PolicyArn' --output text | tr '\t' '\n' | sed 's/^/      /'
k8s_note "inline policies:"
matched=""
for policy in $(aws iam list-role-policies --role-name "$role_name" --query 'PolicyNames' --output text); do
  document="$(aws iam get-role-policy --role-name "$role_name" --policy-name "$policy" --query 'PolicyDocument' --output json)"
  # The same document as the IAM file (key order aside: AWS may store it reordered)?
  if node -e 'const fs = require("fs"); process.exit(require("util").isDeepStrictEqual(JSON.parse(fs.readFileSync(0, "utf8")), JSON.parse(fs.readFileSync(process.argv[1], "utf8"))) ? 0 : 1)' \
    "$EKS_IAM_POLICY_FILE" <<<"$document"; then
    k8s_note "  $policy: the same document as $EKS_IAM_POLICY_FILE: good"
    matched=yes
  else
    k8s_note "  $policy: differs from $EKS_IAM_POLICY_FILE"
  fi
done
[ -n "$matched" ] || k8s_note "warning: no inline policy on the role is $EKS_IAM_POLICY_FILE: apply it with 'node_modules/.bin/tsx scripts/eks/cluster-config.ts | eksctl update podidentityassociation -f -'"

for group in $EKS_NODEGROUPS; do
  node_role="$(aws eks describe-nodegroup --cluster-name "$EKS_CLUSTER_NAME" --region "$EKS_REGION" \
    --nodegroup-name "$group" --query 'nodegroup.nodeRole' --output text)"
  node_role_name="${node_role##*/}"
  inline="$(aws iam list-role-policies --role-name "$node_role_name" --query 'PolicyNames' --output text)"
  if printf '%s' "$inline" | grep -qi autoscal; then
    k8s_note "warning: node group $group's role $node_role_name has an autoscaler inline policy: every pod on those nodes can resize the node groups"
  else
    k8s_note "node group $group's role ($node_role_name) has no autoscaler policy: good"
  fi
done
