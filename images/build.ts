/**
 * `npm run images:build [-- --kafka-version 4.3.1] [--force]`: builds the offline stand-ins
 * for the official Kafka and Toxiproxy images (harness/cluster/docker-image-build.ts).
 */
import { parseArgs } from 'node:util';
import { buildLocalImages } from '../harness/cluster/docker-image-build.ts';
import { isHarnessError } from '../harness/errors.ts';

const { values } = parseArgs({ options: { 'kafka-version': { type: 'string' }, force: { type: 'boolean' } } });
const t0 = Date.now();
try {
  const { images } = await buildLocalImages({ kafkaVersion: values['kafka-version'], force: values.force });
  for (const i of images) console.log(`${i.image}\t${i.built ? `built in ${i.seconds}s` : 'present'}`);
  console.log(`images ready in ${Math.round((Date.now() - t0) / 1000)}s`);
} catch (error) {
  console.error(isHarnessError(error) ? error.toLine() : error);
  process.exit(isHarnessError(error) ? error.exitCode : 3);
}
