// One interface over the three ways to get a cluster (ctlptl-style: one admin per product).
import type { ClusterConfig } from "../config/schema.js";
import type { ProviderTraits } from "./traits.js";

/** A generated provider config: where devenv writes it and what it says. */
export interface GeneratedConfig {
  file: string;
  yaml: string;
}

export interface ClusterProvider {
  readonly provider: ClusterConfig["provider"];
  /** What this kind of cluster is like (see traits.ts). */
  readonly traits: ProviderTraits;
  /** Cluster name (kind/k3d) or the context name (existing). */
  readonly name: string;
  /** Kube context name. */
  readonly context: string;
  /** Docker network the nodes are on (kind/k3d), for the registry. */
  readonly network?: string;
  /** The config `create` uses (kind/k3d). */
  config(): GeneratedConfig | undefined;
  /** Checks the CLI is installed and new enough; returns its version. */
  ensureInstalled(): Promise<string | undefined>;
  /** Does the cluster (or context) exist? */
  exists(): Promise<boolean>;
  /** Checks a reused cluster matches the config (ports), throwing a clear error if not. */
  verify(): Promise<void>;
  /** Checks what creating needs (free host ports), throwing a clear error if not. */
  preflight(): Promise<void>;
  /** Creates the cluster from config(). */
  create(): Promise<void>;
  /** Deletes the cluster; a missing cluster is not an error. */
  delete(): Promise<void>;
  /** Node container names (for image loads and hosts.toml); empty for `existing`. */
  nodes(): Promise<string[]>;
  /** Stops the node containers, keeping their data (`devenv down --nodes`). */
  stop(): Promise<void>;
  /** Starts stopped node containers again; a no-op when they run. */
  start(): Promise<void>;
  /** Writes the cluster's kube context back into the kubeconfig (kind/k3d), for a cluster that exists without one. */
  restoreContext?(): Promise<void>;
}
