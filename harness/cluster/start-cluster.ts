import { HarnessError } from '../errors.ts';
import type { DockerClusterOptions } from './docker-provider.ts';
import { startLocalCluster, type LocalClusterOptions } from './local-provider.ts';
import type { StartedCluster } from './started-cluster.ts';

/** The providers that start brokers themselves (external connects: connectExternalCluster). */
export const STARTING_PROVIDERS = ['local', 'docker'] as const;
export type StartingProvider = (typeof STARTING_PROVIDERS)[number];

/** Options both providers take; the docker-only ones (images, heap) are ignored by local. */
export type StartClusterOptions = { provider?: StartingProvider } & LocalClusterOptions & DockerClusterOptions;

/**
 * One entry point for `streamproof run --provider local|docker` and code: the same
 * StartedCluster either way. The docker provider (and testcontainers) is loaded only when
 * asked for, so local runs do not pay for it.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<StartedCluster> {
  const { provider = 'local', ...rest } = options;
  if (provider === 'local') return startLocalCluster(rest);
  if (provider === 'docker') {
    const { startDockerCluster } = await import('./docker-provider.ts');
    return startDockerCluster(rest);
  }
  throw new HarnessError('USAGE', `--provider takes ${STARTING_PROVIDERS.join(' or ')} here (external: --bootstrap), got '${String(provider)}'`);
}

/** Parses a --provider value; external is handled by its own flags. */
export function parseStartingProvider(value: string | undefined): StartingProvider {
  if (value === undefined) return 'local';
  if ((STARTING_PROVIDERS as readonly string[]).includes(value)) return value as StartingProvider;
  throw new HarnessError('USAGE', `--provider takes ${STARTING_PROVIDERS.join(' or ')}, got '${value}'`);
}
