import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';

export interface NodeStorageIds {
  clusterId: string;
  nodeId: number;
  directoryId: string;
}

/**
 * A node's log dir as `StorageTool format` would leave it: a copy of the formatted template
 * (harness/tools/kafka-storage.ts) with this cluster's, node's and directory's ids.
 * Any earlier data there is wiped (a fresh cluster id needs fresh storage).
 */
export async function writeNodeStorage(templateDir: string, dataDir: string, ids: NodeStorageIds): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
  await cp(templateDir, dataDir, { recursive: true });
  const file = join(dataDir, 'meta.properties');
  await writeFile(file, withIds(await readFile(file, 'utf8'), ids));
}

/** meta.properties with the three ids replaced; a template missing one of them is refused. */
export function withIds(meta: string, ids: NodeStorageIds): string {
  let text = meta;
  for (const [key, value] of [
    ['cluster.id', ids.clusterId],
    ['node.id', String(ids.nodeId)],
    ['directory.id', ids.directoryId],
  ] as const) {
    const line = new RegExp(`^${key.replace('.', '\\.')}=.*$`, 'm');
    if (!line.test(text)) throw new HarnessError('CLUSTER_START_FAILED', `the formatted storage template has no ${key} in meta.properties`);
    text = text.replace(line, `${key}=${value}`);
  }
  return text;
}
