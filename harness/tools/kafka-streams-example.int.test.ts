import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { appendFile, cp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exampleSourceHash, ensureKafkaStreamsExample, KAFKA_STREAMS_EXAMPLE_DIR, kafkaStreamsExampleJvmOptions } from './kafka-streams-example.ts';

const exec = promisify(execFile);

// Builds with Maven into the real tool cache (minutes the first time, a hash of the sources after).
describe('kafka streams example', () => {
  it('builds a runnable jar whose topology has the repartition and window stages', async () => {
    const jar = await ensureKafkaStreamsExample();
    expect(existsSync(jar)).toBe(true);
    expect(existsSync(join(jar, '..', 'lib'))).toBe(true);
    expect(await ensureKafkaStreamsExample(() => undefined)).toBe(jar);

    const { stdout } = await exec('java', ['-jar', jar, '--describe'], { timeout: 120_000 });
    expect(stdout).toContain('Source: orders-source (topics: [orders.raw.v1])');
    expect(stdout).toContain('Sink: by-region-repartition-sink (topic: by-region-repartition)');
    expect(stdout).toContain('stores: [region-window-counts]');
    expect(stdout).toContain('stores: [region-window-final-store]');
    expect(stdout).toContain('Sink: dlq-sink (topic: orders.dlq.v1)');

    // The class-data-sharing archive is made once and used silently.
    const jvm = await kafkaStreamsExampleJvmOptions(jar);
    expect(jvm.some((o) => o.startsWith('-XX:SharedArchiveFile='))).toBe(true);
    expect(existsSync(jvm.find((o) => o.startsWith('-XX:SharedArchiveFile='))!.split('=')[1]!)).toBe(true);
    const help = await exec('java', [...jvm, '-jar', jar, '--help'], { timeout: 60_000 });
    expect(help.stdout).toContain('usage: java -jar kafka-streams-example.jar');
    expect(help.stderr).toBe('');

    // A missing contract variable: one clear line, exit 78 (EX_CONFIG), before any Kafka client starts.
    const failed = await exec('java', ['-jar', jar], { timeout: 120_000, env: { PATH: process.env.PATH } }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failed && failed.code).toBe(78);
    expect((failed as { stderr: string }).stderr).toMatch(/environment variable STREAMPROOF_\w+ is not set/);
  });

  it('keys the cache by the sources: an edit gives another version', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'kstreams-example-'));
    try {
      await cp(join(KAFKA_STREAMS_EXAMPLE_DIR, 'pom.xml'), join(copy, 'pom.xml'));
      await cp(join(KAFKA_STREAMS_EXAMPLE_DIR, 'src'), join(copy, 'src'), { recursive: true });
      const before = await exampleSourceHash(copy);
      expect(before).toBe(await exampleSourceHash(KAFKA_STREAMS_EXAMPLE_DIR));
      await appendFile(join(copy, 'src', 'main', 'resources', 'log4j2.properties'), '\n# edited\n');
      expect(await exampleSourceHash(copy)).not.toBe(before);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
