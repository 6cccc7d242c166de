# syntax=docker/dockerfile:1.7
# The AIOps container image: `aiops api` or `aiops worker --lanes …` (README, Kubernetes).
# Build:  docker build -t REGISTRY/aiops:$(git rev-parse --short HEAD) .
ARG NODE_IMAGE=node:24.11.1-bookworm-slim

# 1. Build: the whole lockfile, then ESM bundles of the CLI and of its agent threads (dependencies stay in node_modules).
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The "prepare" script (scripts/build-cli.mjs --if-sources) finds no sources yet and builds nothing.
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY shared ./shared
RUN npm run build

# 2. Production dependencies only, from the same lockfile.
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force

# 3. Run: slim Node 24, tini as PID 1 (signals reach node; zombies are reaped), a numeric non-root user,
#    nothing written outside /tmp (mount an emptyDir there with a read-only root filesystem).
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="aiops" \
      org.opencontainers.image.description="AI-assisted operations analysis: HTTP API and lane workers" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/aiops/aiops"
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    AIOPS_DATA_DIR=/tmp/aiops
COPY --from=deps --chown=0:0 /src/node_modules ./node_modules
# The build: dist/aiops.mjs runs dist/<build>/aiops.mjs (manifest.json names it); its chunks and the
# agent threads' entry (agent-worker.mjs, shared/runtime/pool/agent-pool.ts) are beside it.
COPY --from=build --chown=0:0 /src/dist ./dist
COPY --chown=0:0 package.json ./
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/aiops.mjs"]
CMD ["api"]
