# CI stand-in for the official node image: no registry is reachable on the CI machines, so
# scripts/container/standin.sh builds this from a debootstrapped Debian and the machine's own
# node + npm. It holds the machine's Node (20 there), NOT the Node of the official image
# that users build with; its tag says so. Never used outside CI.
ARG DEBIAN_IMAGE=does-it-scale/debian-standin:bookworm
FROM ${DEBIAN_IMAGE}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# The CI network intercepts TLS: npm inside builds must trust the machine's CA bundle.
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
# Same user as the official image: node, uid/gid 1000.
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/sh --create-home node \
 && node --version && npm --version
CMD ["node"]
