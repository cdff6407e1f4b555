# CI stand-in for the official nginx image (no registry reachable in CI): Debian's nginx on a
# debootstrapped Debian. Same binary name and config path (/etc/nginx/nginx.conf) as the
# official image, which is all docker/gateway/Dockerfile relies on.
ARG DEBIAN_IMAGE=does-it-scale/debian-standin:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && nginx -v
CMD ["nginx", "-g", "daemon off;"]
