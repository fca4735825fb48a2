import { HarnessError } from '../errors.ts';
import { createKafka, type ClientSettings } from '../kafka/kafka-client.ts';
import type { KafkaSecurity } from '../kafka/kafka-security.ts';
import { connectFailure } from './connect-failure.ts';
import type { LinkKind, LinkSpec } from './cluster-layout.ts';
import type { BrokerInfo, BrokerProcessControl, StartedCluster } from './started-cluster.ts';
import { isHarnessToxic, ToxiproxyLinks } from './toxiproxy-links.ts';

export interface ExternalClusterOptions {
  /** `host:port` of the cluster (through your own proxies, if you want network faults). */
  bootstrapServers: string[];
  /** TLS and SASL, for the harness's clients and (through the SUT contract) the SUT's. */
  security?: KafkaSecurity;
  /** A Toxiproxy whose proxies follow our naming (`b<id>-client`, ...) enables network faults. */
  toxiproxyUrl?: string;
  connectTimeoutMs?: number;
  /** Where the line saying what was healed on the Toxiproxy goes (healLeftovers). */
  onProgress?: (line: string) => void;
}

/**
 * A cluster someone else runs: the same `StartedCluster`, without process control (process
 * faults answer FAULT_UNSUPPORTED). Checked reachable at start, so a wrong address is one
 * clear error rather than a hang later.
 */
export async function connectExternalCluster(options: ExternalClusterOptions): Promise<ExternalCluster> {
  if (options.bootstrapServers.length === 0) throw new HarnessError('USAGE', 'the external provider needs bootstrap servers (--bootstrap host:port[,host:port])');
  const settings: ClientSettings = {
    brokers: options.bootstrapServers,
    ...(options.security ? { security: options.security } : {}),
    clientId: 'streamproof-external',
    connectionTimeoutMs: options.connectTimeoutMs ?? 3000,
    requestTimeoutMs: 10_000,
    retries: 2,
  };
  const admin = createKafka(settings).admin();
  let brokers: BrokerInfo[];
  let kafkaVersion = 'unknown';
  try {
    await admin.connect();
    const described = await admin.describeCluster();
    brokers = described.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.id - b.id);
    kafkaVersion = `cluster ${described.clusterId}`;
  } catch (error) {
    throw connectFailure(error, options.bootstrapServers.join(','), options.security);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  let links: LinkSpec[] = [];
  let toxiproxy: ToxiproxyLinks | undefined;
  if (options.toxiproxyUrl) {
    toxiproxy = new ToxiproxyLinks(options.toxiproxyUrl);
    links = (await toxiproxy.list()).map((l) => linkFromName(l.name, l.listen, l.upstream)).filter((l): l is LinkSpec => l !== undefined);
    await healLeftovers(toxiproxy, options.onProgress);
  }
  return new ExternalCluster(settings, brokers, kafkaVersion, links, toxiproxy);
}

/**
 * Undoes what a run stopped mid-fault left on the user's Toxiproxy, as Jepsen heals the network
 * before a test: on our links, the harness's toxics removed and links taken down (`net.isolate`)
 * enabled again. Otherwise the next run starts with a fault on and judges it as the SUT's doing.
 * Toxics under other names are the user's: kept, and named. One line to `say`, or none when all is clean.
 */
export async function healLeftovers(toxiproxy: ToxiproxyLinks, say?: (line: string) => void): Promise<void> {
  const ours = (await toxiproxy.list()).filter((l) => linkFromName(l.name, l.listen, l.upstream) !== undefined);
  const healed: string[] = [];
  const kept: string[] = [];
  for (const link of ours) {
    if (!link.enabled) {
      await toxiproxy.setEnabled(link.name, true);
      healed.push(`${link.name} enabled`);
    }
    for (const toxic of link.toxics) {
      if (!isHarnessToxic(toxic)) kept.push(`${link.name}: ${toxic}`);
      else {
        await toxiproxy.removeToxic(link.name, toxic);
        healed.push(`${link.name}: ${toxic} removed`);
      }
    }
  }
  const parts = [
    healed.length > 0 ? `healed what an earlier run left (${healed.join(', ')})` : '',
    kept.length > 0 ? `kept toxics that are not the harness's (${kept.join(', ')}): every fault adds to them` : '',
  ].filter(Boolean);
  if (parts.length > 0) say?.(`[lab] the Toxiproxy at ${toxiproxy.url}: ${parts.join('; ')}`);
}

/** Reads our link naming back (`b2-client`, `b1-controller-from-b3`); other proxies are ignored. */
export function linkFromName(name: string, listen: string, upstream: string): LinkSpec | undefined {
  const match = /^b(\d+)-(client|internal|controller|replication)(?:-from-b(\d+))?$/.exec(name);
  if (!match) return undefined;
  const port = (address: string) => Number(address.split(':').at(-1));
  const host = (address: string) => address.slice(0, address.lastIndexOf(':'));
  return {
    name,
    kind: match[2] as LinkKind,
    brokerId: Number(match[1]),
    fromBrokerId: match[3] === undefined ? undefined : Number(match[3]),
    listenHost: host(listen),
    listenPort: port(listen),
    upstreamHost: host(upstream),
    upstreamPort: port(upstream),
  };
}

export class ExternalCluster implements StartedCluster {
  readonly provider = 'external' as const;
  readonly runDir = undefined;

  constructor(
    private readonly settings: ClientSettings,
    private readonly brokerList: BrokerInfo[],
    readonly kafkaVersion: string,
    private readonly linkList: LinkSpec[],
    private readonly toxiproxyLinks: ToxiproxyLinks | undefined,
  ) {}

  bootstrapServers(): string[] {
    return this.settings.brokers;
  }

  brokers(): BrokerInfo[] {
    return this.brokerList;
  }

  clientSettings(clientId = 'streamproof'): ClientSettings {
    return { ...this.settings, clientId };
  }

  links(): LinkSpec[] {
    return this.linkList;
  }

  toxiproxy(): ToxiproxyLinks | undefined {
    return this.toxiproxyLinks;
  }

  brokerProcess(): BrokerProcessControl | undefined {
    return undefined;
  }

  /** Nothing to stop: the cluster is not ours. Faults still active are the injector's to heal. */
  async stop(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {}
}
