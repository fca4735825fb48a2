import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bareNodeProperties, kafkaJvmOptions } from '../cluster/kafka-config.ts';
import { allocatePortBlock } from '../cluster/ports.ts';
import { ensureCachedTool } from './cached-tool.ts';
import type { KafkaJars } from './kafka-jars.ts';
import { runCommand } from './run-command.ts';

/** The cluster id the template is formatted with; every node's copy gets its own cluster's id. */
export const TEMPLATE_CLUSTER_ID = 'c3RvcmFnZS10ZW1wbGF0ZQ';

/**
 * A KRaft log dir formatted once per Kafka version by its own `StorageTool` (static
 * controller.quorum.voters, so kraft.version 0). What format writes is `meta.properties`
 * (cluster, node and directory ids) and `bootstrap.checkpoint` (the release's feature levels,
 * no ids), so a node's storage is a copy with its ids rewritten (kafka-storage-copy.ts):
 * one JVM start less on every cluster start. Returns the template's `data` dir.
 */
export async function ensureKafkaStorageTemplate(jars: Pick<KafkaJars, 'version' | 'classpath' | 'log4jConfig'>, log: (line: string) => void): Promise<string> {
  const dir = await ensureCachedTool(
    'kafka-storage',
    jars.version,
    async (temp) => {
      const props = join(temp, 'server.properties');
      await writeFile(props, bareNodeProperties(await allocatePortBlock(2), join(temp, 'data')));
      await runCommand('java', [...kafkaJvmOptions(jars, join(temp, 'format.log'), 256), '-cp', jars.classpath, 'kafka.tools.StorageTool', 'format', '-t', TEMPLATE_CLUSTER_ID, '-c', props], {
        timeoutMs: 120_000,
      });
    },
    log,
  );
  return join(dir, 'data');
}
