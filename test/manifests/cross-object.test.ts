/**
 * What the schemas cannot see: the objects of one overlay must agree with each other,
 * with the Emissary values, and with the package version.
 */
import { KUBECTL_MISSING, kubectlAvailable, renderOverlay } from './lib/kustomize';
import { readFileSync } from 'node:fs';
import { OVERLAYS, packageVersion, readVersionsEnv, readYamlFile, repoPath } from './lib/repo';
import { JOB_PREFIXES, cpuCores, mappingTarget, resolvePort, selects, tierOf, type RenderedTier } from './lib/workload';

if (!kubectlAvailable()) {
  test.skip(`cross-object checks (skipped: ${KUBECTL_MISSING})`, () => undefined);
} else {
  describe.each(OVERLAYS)('overlay %s: objects agree with each other', (overlay) => checkTier(overlay, tierOf(renderOverlay(overlay))));
}

function checkTier(overlay: string, tier: RenderedTier): void {
  const { deployment, podSpec, container, service, hpa, pdb, networkPolicy, serviceAccount, listener, host, mapping } = tier;
  const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
  const namespace = deployment.metadata.namespace;

  test('everything namespaced lives in the service namespace', () => {
    for (const object of tier.objects.filter((o) => o.kind !== 'Namespace')) {
      expect([object.kind, object.metadata.namespace]).toEqual([object.kind, namespace]);
    }
  });

  describe('Deployment', () => {
    test('its selector matches its own pod template', () => {
      expect(selects(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
    });

    test('has no spec.replicas, because the HPA owns the count', () => {
      expect(deployment.spec).not.toHaveProperty('replicas');
    });

    test('runs the image does-it-scale:<package.json version>, never :latest', () => {
      const [, name, tag] = /^(.+):([^:/@]+)$/.exec(container.image) ?? [];
      expect(name?.endsWith('does-it-scale')).toBe(true);
      expect(tag).toBe(packageVersion());
      expect(container.imagePullPolicy).not.toBe('Always');
    });

    test('pod security: numeric non-root user, RuntimeDefault seccomp, no service-account token', () => {
      expect(podSpec.securityContext.runAsNonRoot).toBe(true);
      expect(Number.isInteger(podSpec.securityContext.runAsUser) && podSpec.securityContext.runAsUser > 0).toBe(true);
      expect(Number.isInteger(podSpec.securityContext.runAsGroup) && podSpec.securityContext.runAsGroup > 0).toBe(true);
      expect(podSpec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      expect(podSpec.automountServiceAccountToken).toBe(false);
      expect(podSpec.serviceAccountName).toBe(serviceAccount.metadata.name);
      expect(serviceAccount.automountServiceAccountToken).toBe(false);
      for (const forbidden of ['hostNetwork', 'hostPID', 'hostIPC']) expect(podSpec[forbidden] ?? false).toBe(false);
    });

    test("the pod's user and ports are the image's (Dockerfile USER uid:gid and EXPOSE)", () => {
      const dockerfile = readFileSync(repoPath('Dockerfile'), 'utf8');
      const [, uid, gid] = /^USER\s+(\d+):(\d+)\s*$/m.exec(dockerfile) ?? [];
      expect([podSpec.securityContext.runAsUser, podSpec.securityContext.runAsGroup]).toEqual([Number(uid), Number(gid)]);
      const [, exposed = ''] = /^EXPOSE\s+([\d ]+?)\s*$/m.exec(dockerfile) ?? [];
      expect(exposed.split(/\s+/).map(Number)).toEqual([resolvePort(container, 'http'), resolvePort(container, 'metrics')]);
      expect(container.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
    });

    test('container security: no privilege escalation, all capabilities dropped, read-only root', () => {
      const sc = container.securityContext;
      expect(sc.allowPrivilegeEscalation).toBe(false);
      expect(sc.privileged ?? false).toBe(false);
      expect(sc.readOnlyRootFilesystem).toBe(true);
      expect(sc.capabilities.drop).toContain('ALL');
      expect(sc.capabilities.add ?? []).toEqual([]);
      if (sc.runAsUser !== undefined) expect(sc.runAsUser).toBeGreaterThan(0);
      expect(sc.runAsNonRoot ?? podSpec.securityContext.runAsNonRoot).toBe(true);
    });

    test('the CPU request sets the worker count (POOL_SIZE via the Downward API): whole cores, or half a core on kind', () => {
      const cpu = cpuCores(container.resources.requests.cpu);
      // kind's half CPU per pod (docs/kubernetes.md) still gives one worker: the Downward API rounds up.
      expect(Number.isInteger(cpu) ? cpu >= 1 : overlay === 'local' && cpu === 0.5).toBe(true);
      const poolSize = container.env.find((e: any) => e.name === 'POOL_SIZE');
      expect(poolSize.valueFrom.resourceFieldRef).toEqual({ containerName: container.name, resource: 'requests.cpu', divisor: '1' });
      // A CPU limit, if any, must be whole CPUs and not below the request (CFS throttling).
      const limit = container.resources.limits?.cpu;
      if (limit !== undefined) expect(Number.isInteger(cpuCores(limit)) && cpuCores(limit) >= cpu).toBe(true);
    });

    test('memory has a request and a limit, the limit not below the request', () => {
      const { requests, limits } = container.resources;
      expect(requests.memory).toBeDefined();
      expect(limits.memory).toBeDefined();
      expect(mebibytes(limits.memory)).toBeGreaterThanOrEqual(mebibytes(requests.memory));
    });

    test('probes target the container port by name or number, on GET paths', () => {
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        expect(probe.httpGet.path).toMatch(/^\//);
        expect(resolvePort(container, probe.httpGet.port)).toBe(resolvePort(container, 'http'));
      }
      expect(container.readinessProbe.httpGet.path).not.toBe(container.livenessProbe.httpGet.path);
    });
  });

  describe('Service', () => {
    test('selects the pods of the Deployment', () => {
      expect(selects(service.spec.selector, podLabels)).toBe(true);
    });

    test('its targetPort is the container port', () => {
      const [port] = service.spec.ports;
      expect(resolvePort(container, port.targetPort)).toBe(resolvePort(container, 'http'));
    });

    test('its port `metrics` reaches the container port `metrics`, a port apart from `http`', () => {
      const metrics = service.spec.ports.find((p: any) => p.name === 'metrics');
      expect(resolvePort(container, metrics.targetPort)).toBe(resolvePort(container, 'metrics'));
      expect(resolvePort(container, 'metrics')).not.toBe(resolvePort(container, 'http'));
    });

    test('is internal: outside traffic comes through the gateway', () => {
      expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP');
    });
  });

  describe('HPA and PodDisruptionBudget', () => {
    test('the HPA scales this Deployment on CPU utilisation, with explicit behaviour', () => {
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
      expect(hpa.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } },
      ]);
      // The target as the busy share of the pod's workers (ceil(request) of them): 50-90%.
      const cpu = cpuCores(container.resources.requests.cpu);
      const share = (hpa.spec.metrics[0].resource.target.averageUtilization * cpu) / Math.ceil(cpu);
      expect(share).toBeGreaterThanOrEqual(50);
      expect(share).toBeLessThanOrEqual(90);
      expect(hpa.spec.behavior.scaleUp.policies.length).toBeGreaterThan(0);
      expect(hpa.spec.behavior.scaleDown.policies.length).toBeGreaterThan(0);
    });

    test('keeps at least 2 pods, and the PDB lets one of them be drained', () => {
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      expect(selects(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
      const allowed = pdb.spec.maxUnavailable ?? hpa.spec.minReplicas - pdb.spec.minAvailable;
      expect(allowed).toBeGreaterThanOrEqual(1);
      expect(allowed).toBeLessThan(hpa.spec.minReplicas);
    });
  });

  describe('NetworkPolicy', () => {
    const emissaryValues = readYamlFile<any>('k8s/addons/emissary-values.yaml');
    const versions = readVersionsEnv();

    test('applies to the service pods and isolates their ingress', () => {
      expect(selects(networkPolicy.spec.podSelector.matchLabels, podLabels)).toBe(true);
      expect(networkPolicy.spec.policyTypes).toContain('Ingress');
    });

    test('admits only the Emissary pods (label AND namespace in one peer) on the container port', () => {
      expect(networkPolicy.spec.ingress).toHaveLength(1);
      const [rule] = networkPolicy.spec.ingress;
      expect(rule.from).toHaveLength(1);
      const [peer] = rule.from;
      expect(peer.namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': versions.EMISSARY_NAMESPACE });
      expect(selects(peer.podSelector.matchLabels, emissaryValues.podLabels)).toBe(true);
      expect(rule.ports.map((p: any) => resolvePort(container, p.port))).toEqual([resolvePort(container, 'http')]);
    });
  });

  describe('Emissary Listener, Host and Mapping', () => {
    const emissaryValues = readYamlFile<any>('k8s/addons/emissary-values.yaml');
    const kindValues = readYamlFile<any>('k8s/addons/emissary-values-kind.yaml');

    test("the Listener listens on the port the gateway's Service forwards to", () => {
      const targets = (values: any) => values.service.ports.filter((p: any) => p.name === 'http').map((p: any) => p.targetPort);
      expect(targets(emissaryValues)).toEqual([listener.spec.port]);
      expect(targets(kindValues)).toEqual([listener.spec.port]);
      expect(listener.spec).toMatchObject({ protocol: 'HTTP', securityModel: 'XFP', hostBinding: { namespace: { from: 'ALL' } } });
      expect(emissaryValues.createDefaultListeners).toBe(false);
    });

    test('the Host takes any hostname and routes plain HTTP', () => {
      expect(host.spec).toMatchObject({ hostname: '*', requestPolicy: { insecure: { action: 'Route' } } });
      expect(mapping.spec.hostname).toBe(host.spec.hostname);
    });

    test.each(JOB_PREFIXES)(
      'the Mapping for the job route %s sends it unchanged to the Service port that reaches the container port',
      (prefix) => {
        const each = tier.jobMappings[JOB_PREFIXES.indexOf(prefix)];
        expect(each.spec.prefix).toBe(prefix);
        expect(each.spec.rewrite).toBe(each.spec.prefix);
        const target = mappingTarget(each.spec.service);
        expect(target.name).toBe(service.metadata.name);
        expect(target.namespace ?? each.metadata.namespace).toBe(service.metadata.namespace);
        const servicePort = service.spec.ports.find((p: any) => p.port === target.port);
        expect(servicePort).toBeDefined();
        expect(resolvePort(container, servicePort.targetPort)).toBe(target.port);
        expect(target.port).toBe(resolvePort(container, 'http'));
      },
    );

    test('every Mapping rewrites explicitly and targets the same Service port, on a Host hostname', () => {
      for (const each of tier.mappings) {
        expect(each.spec.rewrite).toBe(each.spec.prefix);
        expect(each.spec.service).toBe(mapping.spec.service);
        expect(each.spec.hostname).toBe(host.spec.hostname);
        expect(tier.resolvers.map((r) => r.metadata.name)).toContain(each.spec.resolver);
      }
    });

    test('every job Mapping balances per request over the endpoints of a resolver that exists, with the same timeouts', () => {
      for (const each of tier.jobMappings) {
        expect(tier.resolvers.map((r) => r.metadata.name)).toContain(each.spec.resolver);
        expect(each.spec.load_balancer.policy).toBe('least_request');
        for (const timeout of ['timeout_ms', 'idle_timeout_ms', 'connect_timeout_ms', 'cluster_idle_timeout_ms']) {
          expect([each.spec.prefix, timeout, each.spec[timeout]]).toEqual([each.spec.prefix, timeout, mapping.spec[timeout]]);
        }
      }
    });
  });

  if (overlay === 'local') {
    test('local: every path is routed, so the one API suite runs through the gateway', () => {
      expect(tier.mappings.map((m) => m.spec.prefix).sort()).toEqual(['/', ...JOB_PREFIXES].sort());
    });

    test('local: the image is the kind-loaded one and is never pulled', () => {
      expect(container.image).toBe(`does-it-scale:${packageVersion()}`);
      expect(container.imagePullPolicy).toBe('Never');
    });
  }
  if (overlay === 'eks') {
    test("eks: only the jobs' routes (/prime/, /pi/: every registered job's) are public; probes stay inside the cluster", () => {
      expect(tier.mappings.map((m) => m.spec.prefix).sort()).toEqual([...JOB_PREFIXES].sort());
    });

    test('eks: the image comes from the ECR placeholder that scripts/k8s/render.sh replaces', () => {
      expect(container.image).toBe(`aws-account-id.dkr.ecr.aws-region.amazonaws.com/does-it-scale:${packageVersion()}`);
    });
  }
}

function mebibytes(quantity: string): number {
  const match = /^([0-9]+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`use Mi or Gi for memory: ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}
