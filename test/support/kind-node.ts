/**
 * The pods a kind v0.33 node (Kubernetes 1.34) runs before anything is installed, with the CPU
 * each requests: kubeadm's static pods (etcd 100m, kube-apiserver 250m, kube-controller-manager
 * 200m, kube-scheduler 100m), CoreDNS (2 x 100m) and kind's kindnetd (100m). kube-proxy and
 * local-path-provisioner request none. A kind node allocates all of the machine's CPUs (kind
 * sets no kube-reserved or system-reserved).
 */
export const KIND_CONTROL_PLANE_PODS: ReadonlyArray<readonly [name: string, cpu: string]> = [
  ['etcd-does-it-scale-control-plane', '100m'],
  ['kube-apiserver-does-it-scale-control-plane', '250m'],
  ['kube-controller-manager-does-it-scale-control-plane', '200m'],
  ['kube-scheduler-does-it-scale-control-plane', '100m'],
  ['coredns-1', '100m'],
  ['coredns-2', '100m'],
  ['kindnet-1', '100m'],
];
