/**
 * What a lab feature or a fault adds to how one process is launched: libraries to preload
 * (the per-node source address, libfaketime) and environment variables. Layers are read at
 * every spawn, so a restart applies what changed (a new clock) and a removed layer is gone.
 */
export interface LaunchLayer {
  preload?: string[];
  env?: Record<string, string>;
  /** Cleans what the layer left behind for one process after it exited (libfaketime's shared memory of a killed process). */
  afterExit?(pid: number): void;
}

/** The base environment with the layers on top, LD_PRELOAD entries joined after any the base had. */
export function launchEnvironment(base: NodeJS.ProcessEnv, layers: Iterable<LaunchLayer>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const preload = (base.LD_PRELOAD ?? '').split(':').filter((entry) => entry !== '');
  for (const layer of layers) {
    Object.assign(env, layer.env);
    for (const library of layer.preload ?? []) if (!preload.includes(library)) preload.push(library);
  }
  if (preload.length > 0) env.LD_PRELOAD = preload.join(':');
  return env;
}
