// The Docker engine as devenv uses it: exactly the calls devenv makes, with result shapes that
// name only the fields devenv reads. Results are the engine's own JSON (fields not named here
// are still there, so a container's Config and HostConfig can be handed back to create), and
// errors are the engine's (with `statusCode`, e.g. 404 missing, 304 not modified, 409 stopped).
// Only src/docker knows dockerode; everything else sees this.
import type { Duplex, Readable } from "node:stream";

/** Docker list filters: `{ label: ["k=v"], status: ["running"] }`. */
export type Filters = Record<string, string[]>;

export interface PortBinding {
  HostIp?: string;
  HostPort?: string;
}

export interface EndpointSettings {
  Aliases?: string[] | null;
  Links?: string[] | null;
  IPAMConfig?: Record<string, unknown> | null;
  IPAddress?: string;
  [field: string]: unknown;
}

/** A container's (or an image's) Config; the fields not named are kept as the engine sent them. */
export interface ContainerConfig {
  Image: string;
  WorkingDir: string;
  Env?: string[];
  Labels?: Record<string, string>;
  [field: string]: unknown;
}

export interface HostConfig {
  NetworkMode?: string;
  PortBindings?: Record<string, PortBinding[] | null>;
  [field: string]: unknown;
}

/** One row of `containers.list` (GET /containers/json). */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Labels: Record<string, string>;
  Ports: { PublicPort?: number }[];
}

/** `containers.inspect` (GET /containers/{id}/json). */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Image: string;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  State: { Status: string; Running: boolean; ExitCode: number; StartedAt: string; Health?: { Status: string } };
  NetworkSettings: { Ports: Record<string, PortBinding[] | null>; Networks: Record<string, EndpointSettings> };
}

/** `containers.create` (POST /containers/create); other API fields pass through. */
export interface ContainerCreateOptions {
  name?: string;
  Image: string;
  Cmd?: string[];
  Env?: string[];
  Labels?: Record<string, string>;
  WorkingDir?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig: Record<string, EndpointSettings> };
  [field: string]: unknown;
}

/** A created exec; start() runs it. */
export interface Exec {
  /** Starts it over a hijacked connection (POST /exec/{id}/start). */
  start(): Promise<ExecStream>;
  /** Its exit code once it ended (GET /exec/{id}/json); undefined while it runs. */
  exitCode(): Promise<number | undefined>;
}

/** A running exec: stdin is the connection (end() half-closes it), output comes demultiplexed. */
export interface ExecStream {
  connection: Duplex;
  stdout: Readable;
  stderr: Readable;
  /** Settles when the connection ends or closes; rejects on its error. */
  ended: Promise<void>;
}

export interface ImageSummary {
  Id: string;
  /** `repo:tag` names of the image (`<none>:<none>` or absent when untagged). */
  RepoTags?: string[] | null;
  /** Unix seconds. */
  Created?: number;
  Size?: number;
}

/** One volume of `volumes.list` (GET /volumes). */
export interface VolumeSummary {
  Name: string;
  Labels: Record<string, string> | null;
  CreatedAt?: string;
}

/** One entry of `Manifests` in `images.inspect` with `manifests: true` (API 1.48+, containerd image store). */
export interface ImageManifestSummary {
  /** The manifest's digest. */
  ID: string;
  Available: boolean;
  Kind: "image" | "attestation" | "unknown";
  ImageData?: { Platform: { os: string; architecture: string; variant?: string } };
}

/** `images.inspect` (GET /images/{name}/json). */
export interface ImageInspect {
  /** Classic store: the config digest. Containerd store: the digest of the image's target (index or manifest). */
  Id: string;
  RepoDigests?: string[];
  /** The target's descriptor (API 1.48+, containerd image store). */
  Descriptor?: { mediaType: string; digest: string; size: number };
  /** Per-platform manifests, when asked with `manifests: true` (API 1.48+, containerd image store). */
  Manifests?: ImageManifestSummary[];
  /** The image's defaults: the same fields as a container's Config. */
  Config?: Partial<ContainerConfig>;
}

/** `images.build` (POST /build): the query parameters devenv sets. */
export interface ImageBuildOptions {
  t: string;
  dockerfile?: string;
  buildargs?: Record<string, string>;
  target?: string;
  /** "2": BuildKit, "1": the classic builder. */
  version?: "1" | "2";
  rm?: boolean;
  forcerm?: boolean;
  labels?: Record<string, string>;
}

/** `info()` (GET /info). */
export interface EngineInfo {
  NCPU: number;
  MemTotal: number;
  OperatingSystem: string;
  Driver: string;
  DriverStatus?: [string, string][];
  OSType?: string;
  Architecture?: string;
}

/** `version()` (GET /version). */
export interface EngineVersion {
  Version: string;
  ApiVersion: string;
}

export interface DockerClient {
  containers: {
    list(opts?: { all?: boolean; filters?: Filters }): Promise<ContainerSummary[]>;
    inspect(id: string): Promise<ContainerInspect>;
    /** Resolves to the new container's ID. */
    create(opts: ContainerCreateOptions): Promise<string>;
    start(id: string): Promise<void>;
    stop(id: string, opts?: { t?: number }): Promise<void>;
    restart(id: string, opts?: { t?: number }): Promise<void>;
    rename(id: string, name: string): Promise<void>;
    remove(id: string, opts?: { force?: boolean; v?: boolean }): Promise<void>;
    /** Creates an exec of `cmd` (stdout and stderr attached; stdin when asked). */
    exec(id: string, cmd: string[], opts?: { stdin?: boolean }): Promise<Exec>;
    /** Unpacks a tar into the container at `path`. */
    putArchive(id: string, tar: Buffer, opts: { path: string }): Promise<void>;
  };
  images: {
    list(opts?: { filters?: Filters }): Promise<ImageSummary[]>;
    /** `manifests: true` adds `Manifests` (the query parameter of API 1.48+; older engines ignore it). */
    inspect(ref: string, opts?: { manifests?: boolean }): Promise<ImageInspect>;
    tag(ref: string, opts: { repo: string; tag: string }): Promise<void>;
    remove(ref: string, opts?: { force?: boolean }): Promise<void>;
    /** `docker save` of several images in one tar (GET /images/get). */
    save(refs: string[], opts?: { platform?: { os: string; architecture: string } }): Promise<Readable>;
    /** Builds from a tar of the context; read the event stream with followBuild(). */
    build(context: Readable, opts: ImageBuildOptions): Promise<Readable>;
    /** Pushes without credentials (local registries); read the stream with followProgress(). */
    push(ref: string): Promise<Readable>;
    pull(ref: string): Promise<Readable>;
  };
  volumes: {
    list(opts?: { filters?: Filters }): Promise<VolumeSummary[]>;
    /** Fails (409) while a container uses the volume. */
    remove(name: string): Promise<void>;
  };
  networks: {
    list(opts?: { filters?: Filters }): Promise<{ Id: string }[]>;
    connect(network: string, opts: { Container: string; EndpointConfig?: EndpointSettings }): Promise<void>;
    /** POST /networks/{id}/disconnect. */
    disconnect(network: string, opts: { Container: string; Force?: boolean }): Promise<void>;
    remove(network: string): Promise<void>;
  };
  info(): Promise<EngineInfo>;
  version(): Promise<EngineVersion>;
  /** The headers of GET /_ping (e.g. Builder-Version); undefined when they cannot be read (TLS, no answer). */
  pingHeaders(): Promise<Record<string, string | string[] | undefined> | undefined>;
  /** Reads a JSON-lines progress stream (push, pull) to its end; rejects with the stream's error. */
  followProgress<E = Record<string, unknown>>(stream: Readable, onEvent?: (ev: E) => void): Promise<void>;
  /** Like followProgress, for a build stream: BuildKit's protobuf trace is decoded into `stream` lines. */
  followBuild<E = Record<string, unknown>>(stream: Readable, onEvent: (ev: E) => void): Promise<void>;
}
