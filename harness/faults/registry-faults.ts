/**
 * Faults on the schema registry's link (harness/registry/lab-registry.ts): what the SUT's schema
 * lookups meet. The harness's own registry calls bypass the link.
 */
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import { REGISTRY_LINK } from '../registry/lab-registry.ts';
import { optionalNumber, readNumber, readObject } from '../validation.ts';
import { MAX_TOXIC_ATTRIBUTE } from './network-faults.ts';
import type { FaultType } from './fault.ts';

async function registryLink(cluster: StartedCluster) {
  const toxiproxy = cluster.toxiproxy();
  const links = toxiproxy ? await toxiproxy.list() : [];
  if (!toxiproxy || !links.some((l) => l.name === REGISTRY_LINK)) {
    throw new HarnessError('FAULT_UNSUPPORTED', `registry faults need the lab's schema registry behind its '${REGISTRY_LINK}' link (a scenario with workload.encoding on a local lab)`);
  }
  return toxiproxy;
}

const cut: FaultType<Record<string, never>> = {
  name: 'registry.cut',
  summary: "cut the SUT's link to the schema registry (connections refused); heal restores it",
  needsProcessControl: false,
  parse: (attributes, path) => (readObject(attributes ?? {}, path, []), {}),
  async start(context) {
    const toxiproxy = await registryLink(context.cluster);
    await toxiproxy.setEnabled(REGISTRY_LINK, false);
    let healed = false;
    return {
      target: `link ${REGISTRY_LINK} down`,
      async heal() {
        if (healed) return;
        healed = true;
        await toxiproxy.setEnabled(REGISTRY_LINK, true);
      },
    };
  },
};

let counter = 0;

const latency: FaultType<{ latency: number; jitter: number }> = {
  name: 'registry.latency',
  summary: "add `latency` ms (+ `jitter`) to the SUT's schema registry calls, both ways",
  needsProcessControl: false,
  parse(attributes, path) {
    const a = readObject(attributes ?? {}, path, ['latency', 'jitter']);
    const options = { min: 0, max: MAX_TOXIC_ATTRIBUTE, integer: true };
    return { latency: readNumber(a.latency, `${path}.latency`, options), jitter: optionalNumber(a.jitter, `${path}.jitter`, 0, options) };
  },
  async start(context, attrs) {
    const toxiproxy = await registryLink(context.cluster);
    const base = `registry-latency-${++counter}`;
    const streams = ['upstream', 'downstream'] as const;
    for (const stream of streams) await toxiproxy.addToxic(REGISTRY_LINK, { name: `${base}-${stream}`, type: 'latency', stream, attributes: attrs });
    let healed = false;
    return {
      target: `link ${REGISTRY_LINK} +${attrs.latency} ms`,
      async heal() {
        if (healed) return;
        healed = true;
        for (const stream of streams) await toxiproxy.removeToxic(REGISTRY_LINK, `${base}-${stream}`);
      },
    };
  },
};

export const REGISTRY_FAULTS: FaultType<any>[] = [cut, latency];
