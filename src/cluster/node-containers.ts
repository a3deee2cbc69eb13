// Starting and stopping node containers through the engine (kind has no stop/start verbs).
import { docker } from "../docker/client.js";

/** Brings each container to running (true) or stopped (false); containers already there are left alone. */
export async function setContainersRunning(names: string[], running: boolean): Promise<string[]> {
  const d = await docker();
  const changed: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const info = await d.containers.inspect(name);
      if (info.State.Running === running) return;
      await (running ? d.containers.start(name) : d.containers.stop(name, { t: 10 }));
      changed.push(name);
    }),
  );
  return changed;
}
