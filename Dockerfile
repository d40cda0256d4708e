# Build stage: dev dependencies, the TypeScript compiler and a toolchain for better-sqlite3's native addon.
FROM node:20-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped here because `prepare` compiles sources that are not copied yet; native addons are built next.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 cbor-extract
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -b src \
 && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: production dependencies, compiled JavaScript and the mapping tables, as a non-root user.
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    MAPPINGS_DIR=/app/mappings
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY mappings ./mappings
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# oneM2M HTTP, LwM2M Server, LwM2M Bootstrap Server, OMA DM device-facing HTTP.
EXPOSE 8080 5683/udp 5685/udp 8090
CMD ["node", "dist/src/main.js"]
