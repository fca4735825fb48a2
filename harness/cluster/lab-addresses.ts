/**
 * Every process of a local lab on its own loopback address, so an nftables rule can cut one
 * pair of nodes and leave the others talking (Jepsen's partitions). A lab's addresses form a
 * /24 named by its port block, 127.<base / 256>.<base % 256>.0: labs never share one (the
 * block's first port, Toxiproxy's API, is bound on 127.0.0.1), and all of it stays in 127/8.
 */
export interface LabAddresses {
  /** `127.a.b`, the lab's /24 without the last byte. */
  prefix: string;
  /** The harness's own clients (the producer, the observers). */
  harness: string;
  node(brokerId: number): string;
  sutInstance(instance: number): string;
  /** MirrorMaker 2 workers of a drill. */
  mirror: string;
}

const NODE_BASE = 10;
const SUT_BASE = 100;

export function labAddresses(basePort: number): LabAddresses {
  const prefix = `127.${Math.floor(basePort / 256) % 256}.${basePort % 256}`;
  return {
    prefix,
    harness: `${prefix}.2`,
    node: (brokerId) => `${prefix}.${NODE_BASE + brokerId}`,
    sutInstance: (instance) => `${prefix}.${SUT_BASE + instance}`,
    mirror: `${prefix}.200`,
  };
}
