#!/usr/bin/env bash
# npm run eks-start-cloud: deploys the service with the k8s/overlays/eks overlay, its image
# pulled from ECR ($ECR/does-it-scale:<package.json version>, pushed by npm run docker-push).
source "$(dirname "$0")/lib.sh"

eks_require_tools node aws kubectl
eks_load_settings
eks_require_ecr
eks_require_reachable_cluster

image_tag="$(k8s_app_version)"
app_name="$(node -p "require('./package.json').name")"
# ECR is <host> or <host>/<namespace>; the repository is ECR_REPOSITORY, [<namespace>/]<app name>
# (scripts/eks/settings.ts), the path docker-push pushes to.
if [ -n "$ECR_REGION" ]; then
  aws ecr describe-images --region "$ECR_REGION" --repository-name "$ECR_REPOSITORY" \
    --image-ids "imageTag=$image_tag" >/dev/null 2>&1 ||
    k8s_die "$ECR/$app_name:$image_tag is not in ECR (repository $ECR_REPOSITORY, $ECR_REGION): create the repository once (aws ecr create-repository --repository-name $ECR_REPOSITORY --region $ECR_REGION), then run npm run ecr-login, npm run docker-build and npm run docker-push"
fi
kc get apiservice v1beta1.metrics.k8s.io >/dev/null 2>&1 ||
  k8s_die "the metrics API (the metrics-server EKS add-on) is missing, so the HPA would never scale: run npm run eks-start-common, which says what to do"

k8s_say "Applying k8s/overlays/eks with image $ECR/$app_name:$image_tag"
bash scripts/k8s/render.sh eks --image-registry "$ECR" | kc apply -f -

k8s_say "Waiting for the service's pods"
kc -n "$APP_NAMESPACE" rollout status "deployment/$APP_DEPLOYMENT" --timeout=300s ||
  k8s_die "the service did not become ready: kubectl --context $EKS_CONTEXT -n $APP_NAMESPACE describe pods (ImagePullBackOff: is the image in ECR? can the node role pull from it?)"

host="$(eks_gateway_hostname 60)"
k8s_say "Ready. Gateway: http://$host/prime/1000"
k8s_note "(the load balancer's DNS name can take a few minutes to resolve)"
k8s_note "watch:  kubectl --context $EKS_CONTEXT -n $APP_NAMESPACE get hpa,pods -w"
k8s_note "next:   npm run eks-test"
