# syntax=docker/dockerfile:1
# One image for the api and the worker (the command picks the app), built in stages:
#   deps     all dependencies (dev ones too: TypeScript, and node-gyp for the native benchmark peers)
#   build    tsc into dist/ with tsconfig.prod.json (no test/, bench/ or specs), then the dev dependencies pruned
#   runtime  (default) production dependencies, dist/, data, model; code owned by root, run as `node`
#   edge-init  docker compose's one-shot: a self-signed CA + certificate and the rendered Nginx site
# The Node LTS the project pins in .node-version (npm start/test bring the same one elsewhere).
ARG NODE_VERSION=24.22.3

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# Exactly the locked tree; npm ci fails instead of rewriting a lockfile that drifted from package.json.
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json tsconfig.prod.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY src src
COPY migrations migrations
COPY examples examples
RUN node node_modules/typescript/bin/tsc -b tsconfig.prod.json \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS edge-init
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY deploy deploy

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# The young-generation cap of supervisord.conf, for every node this image runs (docs/decisions.md).
ENV NODE_ENV=production API_HOST=0.0.0.0 NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app
# Root-owned and read-only for the app user: a compromised process cannot rewrite the code.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY data data
COPY models models
COPY deploy deploy
COPY supervisord.conf ./
# The worker's bar-cache snapshots (BAR_SNAPSHOT_DIR): the one directory the app user writes; a
# volume mounted here starts owned by node, so workers sharing it start from one another's files.
ENV BAR_SNAPSHOT_DIR=/var/lib/market-scanner/bar-snapshots
RUN mkdir -p /var/lib/market-scanner/bar-snapshots && chown node:node /var/lib/market-scanner/bar-snapshots
USER node
EXPOSE 3000 3100
# /health/live of whichever app this container runs (API_PORT or WORKER_PORT).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "deploy/docker/healthcheck.mjs"]
CMD ["node", "dist/apps/api/main.js"]
