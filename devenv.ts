// The embedded default environment: AgentForge (fixtures/agentforge), the 7-service stack of
// ../shared/seeds. This file is its one definition (paths relative to the repo root); its compose
// setup is compose/. `npx devenv up` runs it on a kind cluster; `devenv up --target compose`
// runs the same images and seeds from compose/docker-compose.yml.
import { defineEnv } from "devenv-k8s";

/** A Node service of fixtures/agentforge/services: built from the services dir, for what the three
 *  share: lib/ and node_modules/ (pg, ioredis, ws; `npm ci` on the host, see package.json there). */
const service = (name: string) => ({
  image: `agentforge/${name}`,
  context: "fixtures/agentforge/services",
  dockerfile: `${name}/Dockerfile`,
  // Named here so DEVENV_IMAGE_OVERRIDES / imageOverrides can point it at a mirror or local image.
  buildArgs: { BASE_IMAGE: "node:20" },
  // Source edits are copied into the running container, then the process restarts.
  sync: [
    { from: name, to: `/app/${name}` },
    { from: "lib", to: "/app/lib" },
  ],
  afterSync: "restart" as const,
  // The context holds every service: only this service's Dockerfile and the shared dependency
  // list rebuild it; an edit to a sibling service (not synced into this one) leaves it alone.
  rebuildOn: [`${name}/Dockerfile`, "package.json", "package-lock.json"],
});

export default defineEnv({
  name: "agentforge",
  namespace: "agentforge",
  cluster: { provider: "kind", name: "devenv", ports: { http: 80, https: 443 } },
  // The RWX class under the name the documents use (`nfs-client`).
  addons: { nfs: { enabled: true, storageClass: "nfs-client" }, metricsServer: { enabled: true }, ingress: { enabled: true, className: "nginx" } },
  images: {
    backend: service("backend"),
    frontend: service("frontend"),
    "data-collector": service("data-collector"),
  },
  manifests: { kustomize: "fixtures/agentforge/k8s/overlays/dev" },
  compose: {
    files: ["compose/docker-compose.yml"],
    // Dev values only; the same file feeds the Kubernetes Secret values taken from `env` below.
    envFile: "compose/.env.example",
    projectName: "agentforge",
    // Prometheus and Grafana: add "monitoring" here (their images are pulled from Docker Hub).
    profiles: [],
  },
  seeds: {
    postgres: {
      app: {
        target: { compose: "postgres", service: "postgres", port: 5432 },
        database: "agentforge",
        user: { env: "POSTGRES_USER" },
        password: { env: "POSTGRES_PASSWORD" },
        sql: "fixtures/agentforge/seed/postgres",
        // The tables come from the migration (compose service / Kubernetes Job `migrate`).
        migrate: { compose: "migrate", job: "migrate" },
      },
    },
    redis: {
      cache: {
        target: { compose: "redis", service: "redis", port: 6379 },
        password: { env: "REDIS_PASSWORD" },
        fixtures: "fixtures/agentforge/seed/redis",
      },
    },
  },
  // PostgreSQL ready → migration Job complete → backend (the seed's ordering).
  order: {
    "job/migrate": { after: ["statefulset/postgres"] },
    "deployment/backend": { after: ["job/migrate", "statefulset/redis"] },
    "deployment/data-collector": { after: ["statefulset/postgres", "statefulset/redis"] },
  },
  // The manifests reference these Secrets without shipping them (see secrets.yaml.example).
  secrets: {
    "agentforge-secrets": {
      SECRET_KEY: { generate: 32 },
      ENCRYPTION_KEY: { generate: 32 },
      POSTGRES_USER: { env: "POSTGRES_USER" },
      POSTGRES_PASSWORD: { env: "POSTGRES_PASSWORD" },
      REDIS_PASSWORD: { env: "REDIS_PASSWORD" },
      DATABASE_URL: { env: "DATABASE_URL" },
      REDIS_URL: { env: "REDIS_URL" },
    },
    "agentforge-monitoring": { GRAFANA_ADMIN_PASSWORD: { env: "GRAFANA_ADMIN_PASSWORD" } },
  },
  compare: {
    // Under compose the page calls the backend's published port; in Kubernetes the Ingress serves both.
    // Compose runs one backend on one published port; the dev overlay runs two behind the Ingress,
    // so cookie affinity can be observed (docs/stacks.md).
    ignoreFor: { frontend: ["env.BACKEND_PUBLIC_URL"], backend: ["replicas.mismatch"] },
    // With compose's `monitoring` profile on, Prometheus and Grafana are compared with the
    // Component that holds them in Kubernetes (only overlays/prod includes it).
    profiles: { monitoring: "fixtures/agentforge/k8s/components/monitoring" },
  },
});
