import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Runs the real CLI as a user would: exit status and stderr lines. */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, errors: r.stderr.split('\n').filter((l) => l.trim() !== '') };
}

function scenarioFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bad-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  const file = join(dir, 'bad.json');
  writeFileSync(file, body);
  return file;
}

const valid = { name: 'bad', description: 'a scenario for bad-input tests', phases: [{ name: 'steady', duration: '5s' }, { name: 'fault', duration: '5s' }], workload: { domain: 'orders', rate: 10 }, checkers: ['lost'] };

// Bad input never starts a lab: each case is one clear line and its documented exit code.
describe('bad inputs to streamproof run', () => {
  it('a malformed scenario file: exit 64, naming the file and the path inside it', () => {
    const file = scenarioFile(JSON.stringify({ ...valid, slas: { steady: ['e2e_latency.p99 < fast'] } }));
    const { status, errors } = cli(['run', file]);
    expect(status).toBe(64);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^streamproof: CONFIG_INVALID: .*bad\.json.*slas\.steady\[0\]/);
  });

  it('a scenario file that is not JSON at all: exit 64', () => {
    const { status, errors } = cli(['run', scenarioFile('{ name: ')]);
    expect(status).toBe(64);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^streamproof: CONFIG_INVALID: .*bad\.json/);
  });

  it('an unknown fault type: exit 64, listing the known ones', () => {
    const file = scenarioFile(JSON.stringify({ ...valid, faults: [{ at: 'phase:fault', type: 'broker.explode', duration: '2s' }] }));
    const { status, errors } = cli(['run', file]);
    expect(status).toBe(64);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^streamproof: (FAULT_UNKNOWN|CONFIG_INVALID): .*broker\.explode.*broker\.kill/);
  });

  it("a fault naming a topic that is not the SUT's: exit 64 before a lab starts, naming the fault", () => {
    const file = scenarioFile(JSON.stringify({ ...valid, faults: [{ at: 'phase:fault', type: 'broker.pause', duration: '2s', attrs: { broker: 'leader', topic: 'clicks.raw.v1' } }] }));
    const { status, errors } = cli(['run', file, '--provider', 'external', '--bootstrap', '127.0.0.1:1']);
    expect(status).toBe(64);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^streamproof: CONFIG_INVALID: .*bad\.json: faults\[0\]\.attrs\.topic: topic 'clicks\.raw\.v1' is not one of the SUT's topics/);
  });

  it('an unreachable external cluster: exit 3, naming the address', () => {
    const file = scenarioFile(JSON.stringify(valid));
    const { status, errors } = cli(['run', file, '--provider', 'external', '--bootstrap', '127.0.0.1:1']);
    expect(status).toBe(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^streamproof: CLUSTER_UNREACHABLE: no Kafka cluster answered at 127\.0\.0\.1:1/);
  });

  it('an unknown provider or a missing --bootstrap: exit 64', () => {
    expect(cli(['run', '--provider', 'cloud']).status).toBe(64);
    const { status, errors } = cli(['run', '--provider', 'external']);
    expect(status).toBe(64);
    expect(errors).toEqual(['streamproof: USAGE: --provider external needs --bootstrap host:port[,host:port]']);
  });

  it('--repeat out of 0..10 or not a whole number: exit 64 before a lab starts, one line', () => {
    const file = scenarioFile(JSON.stringify(valid));
    for (const [value, message] of [['-1', 'got -1'], ['11', 'got 11'], ['twice', "takes a whole number, got 'twice'"]] as const) {
      const { status, errors } = cli(['run', file, `--repeat=${value}`]);
      expect(status, value).toBe(64);
      expect(errors, value).toHaveLength(1);
      expect(errors[0]).toMatch(/^streamproof: USAGE: --repeat /);
      expect(errors[0]).toContain(message);
    }
  });
});
