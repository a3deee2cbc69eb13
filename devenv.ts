// The embedded default environment: AgentForge (see fixtures/agentforge). The Stacks issue
// (#8) fills in its images, manifests, compose setup and seeds.
import { defineEnv } from "devenv";

export default defineEnv({
  name: "agentforge",
  namespace: "agentforge",
  cluster: { provider: "kind", name: "devenv", ports: { http: 80, https: 443 } },
});
