import { Toxiproxy, type ICreateToxicBody } from 'toxiproxy-node-client';
import { HarnessError } from '../errors.ts';

/** Toxic types Toxiproxy 2.12 implements, with their attributes (units as Toxiproxy takes them). */
export interface ToxicAttributes {
  latency: { latency: number; jitter?: number };
  bandwidth: { rate: number };
  slow_close: { delay: number };
  timeout: { timeout: number };
  reset_peer: { timeout?: number };
  slicer: { average_size: number; size_variation?: number; delay?: number };
  limit_data: { bytes: number };
}
export type ToxicType = keyof ToxicAttributes;
/** upstream = client to server; downstream = server to client. */
export type ToxicStream = 'upstream' | 'downstream';

export interface ToxicSpec<T extends ToxicType = ToxicType> {
  name: string;
  type: T;
  stream: ToxicStream;
  attributes: ToxicAttributes[T];
  /** Rolled once per connection by Toxiproxy's own (unseeded) RNG: keep 1 for replayable runs. */
  toxicity?: number;
}

/** The name the network faults give a toxic (`net.latency-3-downstream`): how a leftover of ours is told from a user's own toxic. */
export function harnessToxicName(fault: string, n: number, stream: ToxicStream): string {
  return `${fault}-${n}-${stream}`;
}

export function isHarnessToxic(name: string): boolean {
  return /^net\.[a-z_]+-\d+-(upstream|downstream)$/.test(name);
}

export interface LinkState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: string[];
}

/**
 * Our typed facade over toxiproxy-node-client: the client's own types mark optional fields
 * required and omit some toxics, and its errors carry no context.
 */
export class ToxiproxyLinks {
  private readonly client: Toxiproxy;

  constructor(readonly url: string) {
    this.client = new Toxiproxy(url);
  }

  async version(): Promise<string> {
    return this.call('version', () => this.client.getVersion());
  }

  async create(links: { name: string; listen: string; upstream: string }[]): Promise<void> {
    await this.call('populate', () => this.client.populate(links.map((l) => ({ ...l, enabled: true }))));
  }

  async setEnabled(link: string, enabled: boolean): Promise<void> {
    await this.call(`${enabled ? 'enable' : 'disable'} ${link}`, async () => {
      const proxy = await this.client.get(link);
      await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
    });
  }

  async addToxic<T extends ToxicType>(link: string, toxic: ToxicSpec<T>): Promise<void> {
    await this.call(`add ${toxic.type} to ${link}`, async () => {
      const proxy = await this.client.get(link);
      const body = { name: toxic.name, type: toxic.type, stream: toxic.stream, toxicity: toxic.toxicity ?? 1, attributes: toxic.attributes };
      await proxy.addToxic(body as unknown as ICreateToxicBody<unknown>);
    });
  }

  async removeToxic(link: string, toxicName: string): Promise<void> {
    await this.call(`remove ${toxicName} from ${link}`, async () => {
      const proxy = await this.client.get(link);
      const toxic = await proxy.getToxic(toxicName);
      await toxic.remove();
    });
  }

  async list(): Promise<LinkState[]> {
    return this.call('list', async () => {
      // The client's Proxy.toJson() drops the toxics, so read the raw listing.
      type Raw = { name: string; listen: string; upstream: string; enabled: boolean; toxics: { name: string }[] };
      const { data } = await this.client.getApi().get<Record<string, Raw>>(`${this.url}/proxies`);
      return Object.values(data).map((p) => ({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: p.enabled, toxics: p.toxics.map((t) => t.name) }));
    });
  }

  /** Enables every link and removes every toxic. */
  async reset(): Promise<void> {
    await this.call('reset', () => this.client.reset());
  }

  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new HarnessError('FAULT_FAILED', `toxiproxy at ${this.url}: ${what} failed: ${(error as Error).message}`, { cause: error, retriable: true });
    }
  }
}
