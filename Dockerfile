# does-it-scale: the nth-prime service as a container image.
# Build:  npm run docker-build        Run: npm run dkr-start        (docs/container.md)
# The base is an official, supported Node LTS image. CI, which cannot reach a registry, passes
# a locally built stand-in with --build-arg NODE_IMAGE=...; the file itself never changes.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: all dependencies, compile TypeScript to dist/ ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# No source maps in the image: stack traces in production logs point at dist/*.js, which ships.
RUN npm run build -- --sourceMap false

# --- production dependencies only, without install scripts ---
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -name '*.map' -type f -delete

# --- runtime: node, production node_modules, compiled JavaScript; nothing else ---
FROM ${NODE_IMAGE} AS runtime
# HOST 0.0.0.0 so published ports and Kubernetes reach the app; with host networking
# (CI, the gateway rehearsal) the scripts pass HOST=127.0.0.1 instead.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Files stay owned by root: the app user can read its code but not change it.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The app never runs npm or apt: drop the package managers the base image ships (less to
# patch, nothing to install with in a running container), keep dpkg's database so image
# scanners can still list the packages. Then clear every setuid/setgid bit (su, mount,
# passwd, ...): the container runs as uid 1000 with no capabilities and no-new-privileges,
# so they could only ever be a way up. docs/container.md lists what is left and why.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
    /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg \
    /usr/bin/apt /usr/bin/apt-* /usr/lib/apt /etc/apt /var/lib/apt /var/cache/apt /var/cache/debconf /var/log/apt \
 && find / -xdev -perm /6000 -exec chmod ug-s {} +
# Numeric, so Kubernetes' runAsNonRoot can verify it (uid 1000 is the base image's 'node').
USER 1000:1000
# 3000: the API (PORT); 9464: Prometheus metrics on their own listener (METRICS_PORT).
EXPOSE 3000 9464
# Node's own fetch: no curl in the image. Kubernetes ignores this and uses its probes.
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (the server handles it and drains).
CMD ["node", "dist/main.js"]
