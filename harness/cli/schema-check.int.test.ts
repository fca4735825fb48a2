import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocatePortBlock } from '../cluster/ports.ts';
import { RegistryClient } from '../registry/registry-client.ts';
import { SchemaRegistryProcess } from '../registry/registry-process.ts';

// `schema check --registry URL --no-staging` against a real registry standing in for a team's:
// the subject's latest version and mode are the registry's, nothing is registered there.
const root = join(import.meta.dirname, '..', '..');
const gate = join(root, 'examples', 'schema-gate');
const cli = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'schema', 'check', ...args], { encoding: 'utf8', cwd: root });

describe('schema check against a team registry', () => {
  let registry: SchemaRegistryProcess;

  beforeAll(async () => {
    registry = await SchemaRegistryProcess.start({ dir: mkdtempSync(join(tmpdir(), 'streamproof-team-registry-')), port: await allocatePortBlock(1) });
    const client = new RegistryClient(registry.url);
    await client.register('orders-value', readFileSync(join(gate, 'orders.v1.avsc'), 'utf8'), 'AVRO');
    await client.setCompatibility('orders-value', 'FULL');
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('passes a compatible schema under the subject mode, and leaves the registry as it was', async () => {
    const out = mkdtempSync(join(tmpdir(), 'streamproof-schema-check-'));
    const run = cli(['--subject', 'orders-value', '--schema', join(gate, 'orders.v2-coupon.avsc'), '--registry', registry.url, '--no-staging', '--out', out]);
    expect(run.stderr).toContain('compatibility (FULL, subject orders-value): compatible');
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'compatibility.json'), 'utf8'))).toMatchObject({ compatible: true, mode: 'FULL', registry: registry.url });
    expect(await new RegistryClient(registry.url).subjectVersions('orders-value')).toEqual([1]);
  });

  it("fails a renamed required field with the registry's reason", () => {
    const run = cli(['--subject', 'orders-value', '--schema', join(gate, 'orders.v2-rename.avsc'), '--registry', registry.url, '--no-staging', '--out', mkdtempSync(join(tmpdir(), 'streamproof-schema-check-'))]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/NOT compatible: .*total_amount/);
  });

  it('says so in one line when the subject has no versions, or a flag is wrong', () => {
    const missing = cli(['--subject', 'nope-value', '--schema', join(gate, 'orders.v2-coupon.avsc'), '--registry', registry.url, '--no-staging', '--out', mkdtempSync(join(tmpdir(), 'streamproof-schema-check-'))]);
    expect(missing.status).toBe(64);
    expect(missing.stderr.trim().split('\n').at(-1)).toMatch(/^streamproof: CONFIG_INVALID: subject 'nope-value' has no versions in http/);
    const usage = cli(['--subject', 'orders-value', '--schema', join(gate, 'nope.avsc')]);
    expect(usage.status).toBe(64);
    expect(usage.stderr).toMatch(/--schema .*nope\.avsc: no such file/);
    const both = cli(['--subject', 's', '--schema', join(gate, 'orders.v2-coupon.avsc'), '--registry', registry.url, '--compatibility', 'NONE']);
    expect(both.status).toBe(64);
  });
});
