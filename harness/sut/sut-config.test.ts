import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { defineSut, exactlyOnceAt, sinkTopic } from './sut-config.ts';
import { loadSutFile } from './sut-file.ts';
import { thrown } from '../testing/thrown.ts';

const minimal = { name: 'p', command: ['node', 'p.js'], topics: { input: [{ name: 'in', partitions: 3 }], outputs: [{ name: 'out', role: 'records' }] } };
const aggregate = {
  name: 'counts', role: 'aggregate',
  aggregate: { keys: ['region'], values: ['n'], oracle: 'SELECT region, count(*) AS n FROM inputs GROUP BY ALL' },
};
const withAggregate = { ...minimal, topics: { ...minimal.topics, outputs: [...minimal.topics.outputs, aggregate] } };


describe('defineSut', () => {
  it('fills defaults', () => {
    const sut = defineSut(withAggregate);
    expect(sut.instances).toBe(1);
    expect(sut.readiness).toEqual({ kind: 'group' });
    expect(sut.promises).toEqual({});
    expect(sut.errorPattern).toBeUndefined();
    expect(sut.topics.outputs[0]!.identity).toEqual({ header: 'sp-event-id', path: '$.event_id' });
    expect(sut.topics.outputs[1]!.aggregate).toEqual({
      keys: [{ name: 'region', from: 'value', path: '$.region', tolerance: 0 }],
      values: [{ name: 'n', from: 'value', path: '$.n', tolerance: 0 }],
      emission: 'final',
      oracle: aggregate.aggregate.oracle,
    });
    expect(defineSut({ ...minimal, errorPattern: '^E ' }).errorPattern).toBe('^E ');
  });

  it('takes exactly-once per copy: an output or sink says it for itself, else the promise does', () => {
    const lake = defineSut({
      ...minimal,
      topics: { ...minimal.topics, outputs: [{ name: 'out', role: 'records', exactlyOnce: false }, { name: 'dlq', role: 'dlq' }] },
      sinks: [
        { name: 'bronze', kind: 'delta', path: 'bronze', role: 'bronze', keepsOriginalPayload: '$.value' },
        { name: 'gold', kind: 'delta', path: 'gold', role: 'records', exactlyOnce: false },
      ],
      promises: { exactlyOnce: true },
      stopGraceMs: 90000,
    });
    expect([exactlyOnceAt(lake, 'out'), exactlyOnceAt(lake, 'dlq'), exactlyOnceAt(lake, sinkTopic('bronze')), exactlyOnceAt(lake, sinkTopic('gold'))]).toEqual([false, true, true, false]);
    expect(lake.sinks[0]).toMatchObject({ role: 'bronze', keepsOriginalPayload: '$.value' });
    expect(lake.stopGraceMs).toBe(90000);
    expect(defineSut(minimal).stopGraceMs).toBe(10000);
    expect(exactlyOnceAt(defineSut(minimal), 'out')).toBe(false);
  });

  it('round-trips: a defined SUT is a valid description of itself (run_meta stores it)', () => {
    const sut = defineSut({ ...withAggregate, cwd: '/tmp', promises: { exactlyOnce: true, late: { metric: 'dropped' } }, checks: { piiFields: ['a.b'] } });
    expect(defineSut(JSON.parse(JSON.stringify(sut)))).toEqual(sut);
  });

  it.each([
    [{ ...minimal, comand: ['x'] }, 'sut.comand: unknown key'],
    [{ ...minimal, topics: { input: [], outputs: [] } }, 'sut.topics.input: must NOT have fewer than 1 items'],
    [{ ...minimal, topics: { input: [{ name: 'in', partitions: 0 }] } }, 'sut.topics.input[0].partitions: must be >= 1'],
    [{ ...minimal, readiness: { kind: 'tcp' } }, 'sut.readiness.kind: expected one of "log", "http", "group", "first-output", "none"'],
    [{ ...minimal, instances: 1.5 }, 'sut.instances: must be integer'],
    [{ ...minimal, errorPattern: 'ERROR(' }, 'sut.errorPattern: not a regular expression'],
    [{ ...minimal, promises: { exactlyOnce: 'true' } }, 'sut.promises.exactlyOnce: must be boolean'],
    [{ ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out' }] } }, 'sut.topics.outputs[0].role: required'],
    [{ ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out', role: 'gold' }] } }, 'sut.topics.outputs[0].role: expected one of "records", "aggregate", "dlq", "late", "bronze"'],
    [{ ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out', role: 'aggregate' }] } }, 'sut.topics.outputs[0].aggregate: required'],
    [{ ...minimal, topics: { ...minimal.topics, output: ['x'] } }, 'sut.topics.output: unknown key'],
    [{ ...minimal, promises: { late: 'topic' } }, "sut.promises.late: 'topic' needs an output with role 'late'"],
    [{ ...withAggregate, topics: { ...withAggregate.topics, outputs: [{ ...aggregate, aggregate: { ...aggregate.aggregate, window: { startColumn: 'ws', sizeMs: 1000, watermark: 'per-partition-min' } } }] } },
      "sut.topics.outputs[0].aggregate.window.startColumn: 'ws' is not one of the key columns (region)"],
    [{ ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out', role: 'records', fields: { region: 'kept' } }] } }, 'sut.topics.outputs[0].fields.region: expected one of "carried", "masked", "dropped", "added", "ignored"'],
    [{ ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out', role: 'records', fields: { 'a b': 'carried' } }] } }, "sut.topics.outputs[0].fields: 'a b' is not a field path (dotted names, or '*')"],
    [{ ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out', role: 'records', fields: { '*': 'masked' } }] } }, "sut.topics.outputs[0].fields.*: '*' is 'carried', 'dropped' or 'ignored'"],
    [{ ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out', role: 'dlq', fields: { '*': 'carried' } }] } }, 'sut.topics.outputs[0].fields: unknown key'],
  ])('rejects a malformed description with its path (%#)', (input, message) => {
    const error = thrown(() => defineSut(input));
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(message);
  });
});

function sutFile(body: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sp-sut-')), 'my-sut.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('loadSutFile', () => {
  it('rejects oracle SQL that DuckDB cannot parse, naming the file and path', async () => {
    const file = sutFile({ ...withAggregate, topics: { ...withAggregate.topics, outputs: [{ ...aggregate, aggregate: { ...aggregate.aggregate, oracle: 'SELEC region FROM inputs' } }] } });
    await expect(loadSutFile(file)).rejects.toThrow(`${file}.topics.outputs[0].aggregate.oracle: DuckDB rejects the oracle: syntax error at or near "SELEC"`);
  });

  it('rejects two statements', async () => {
    const file = sutFile({ ...withAggregate, topics: { ...withAggregate.topics, outputs: [{ ...aggregate, aggregate: { ...aggregate.aggregate, oracle: 'SELECT 1; SELECT 2' } }] } });
    await expect(loadSutFile(file)).rejects.toThrow('expected one SELECT statement, got 2');
  });

  it('rejects a derived field whose SQL DuckDB cannot parse, and binds it against the inputs at run start', async () => {
    const fields = (sql: string) => ({ ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out', role: 'records', fields: { '*': 'carried', cents: { sql } } }] } });
    const file = sutFile(fields('amount * * 100'));
    await expect(loadSutFile(file)).rejects.toThrow(`${file}.topics.outputs[0].fields.cents.sql: DuckDB rejects the field expression: syntax error`);
    const { checkOracleBinding } = await import('./oracle-check.ts');
    const samples = [{ eventId: 'e1', key: 'k', value: Buffer.from('{"amount":1.5}'), eventTimeMs: 1, truth: 'valid' }];
    await expect(checkOracleBinding(defineSut(fields('amont * 100')), 'f.json', samples)).rejects.toThrow('f.json.topics.outputs[0].fields.cents.sql: DuckDB rejects the field expression: Binder Error');
    await expect(checkOracleBinding(defineSut(fields('round(amount * 100)')), 'f.json', samples)).resolves.toBeUndefined();
  });

  it('accepts a good file', async () => {
    expect((await loadSutFile(sutFile(withAggregate))).name).toBe('p');
  });
});

describe('a bad SUT file through the CLI: one line, exit 64, before any lab starts', () => {
  const root = join(import.meta.dirname, '..', '..');
  const run = (file: string) => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'run', 'scenarios/01-steady-baseline.ts', '--sut', file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, lines: r.stderr.split('\n').filter((l) => l.trim() !== '') };
  };
  it.each([
    ['a wrong type', { ...minimal, promises: { exactlyOnce: 'true' } }, '.promises.exactlyOnce: must be boolean'],
    ['an unknown key', { ...minimal, retries: 3 }, '.retries: unknown key'],
    ['a role missing', { ...minimal, topics: { ...minimal.topics, outputs: [{ name: 'out' }] } }, '.topics.outputs[0].role: required'],
    ['oracle SQL DuckDB rejects (syntax)', { ...withAggregate, topics: { ...withAggregate.topics, outputs: [{ ...aggregate, aggregate: { ...aggregate.aggregate, oracle: 'this is not sql' } }] } }, '.topics.outputs[0].aggregate.oracle: DuckDB rejects the oracle'],
    ['oracle SQL DuckDB rejects (a column the inputs lack)', { ...withAggregate, topics: { ...withAggregate.topics, outputs: [{ ...aggregate, aggregate: { ...aggregate.aggregate, oracle: 'SELECT regio AS region, count(*) AS n FROM inputs GROUP BY ALL' } }] } }, '.topics.outputs[0].aggregate.oracle: DuckDB rejects the oracle: Binder Error'],
  ])('%s', (_what, body, message) => {
    const file = sutFile(body);
    const { status, lines } = run(file);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`streamproof: CONFIG_INVALID: ${file}${message}`);
    expect(status).toBe(64);
  });
});

describe('checkOracleBinding', () => {
  it('names the declared columns an oracle does not return', async () => {
    const { checkOracleBinding } = await import('./oracle-check.ts');
    const sut = defineSut({ ...withAggregate, topics: { ...withAggregate.topics, outputs: [{ ...aggregate, aggregate: { ...aggregate.aggregate, oracle: 'SELECT region FROM inputs' } }] } });
    const samples = [{ eventId: 'e1', key: 'k', value: Buffer.from('{"region":"eu"}'), eventTimeMs: 1, truth: 'valid' }];
    await expect(checkOracleBinding(sut, 'f.json', samples)).rejects.toThrow("f.json.topics.outputs[0].aggregate.oracle: DuckDB rejects the oracle: its rows lack the declared column(s) n (it returns region)");
    await expect(checkOracleBinding(defineSut(withAggregate), 'f.json', samples)).resolves.toBeUndefined();
  });
});
