# The HTTP app (apps/server) as a container image; infra/compose.yml and infra/k8s/app.yaml run it.
# Built from the repository root: docker build -f infra/app.Dockerfile -t concurrency-lab/app .
FROM node:24-slim

# pnpm exactly as the repository pins it (package.json "packageManager").
RUN npm install --global --no-audit --no-fund pnpm@11.28.11

WORKDIR /app
COPY . .
# The whole workspace from the lockfile: the server imports the labs and packages as sources.
RUN pnpm install --frozen-lockfile

# Inside a container the app must listen on every interface; the port is the one the manifests expose.
ENV LAB_HOST=0.0.0.0 LAB_PORT=8080 NODE_ENV=production
EXPOSE 8080
USER node
# Node 24 strips the TypeScript types itself: no build step. SIGTERM stops it gracefully.
CMD ["node", "apps/server/src/server-main.ts"]
