import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecureBroker, type SecureBroker } from '../testing/secure-broker.ts';
import { makeTestCertificates } from '../testing/test-certificates.ts';

// `streamproof run --provider external` against a broker whose only client listener is
// SASL_SSL (SCRAM, a CA made for the test): the run passes, and no byte it writes, in its run
// directory or on the terminal, holds the password. Bad settings are one line each.
const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'sp-sasl-'));
const user = { username: 'streamproof-ci', password: `pw-${randomBytes(12).toString('hex')}` };
let broker: SecureBroker;

beforeAll(async () => {
  mkdirSync(join(dir, 'broker'));
  broker = await startSecureBroker(join(dir, 'broker'), user);
}, 180_000);
afterAll(async () => {
  await broker?.stop();
});

function streamproof(args: string[], env: Record<string, string> = {}, timeout = 240_000) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), ...args], { cwd: root, encoding: 'utf8', timeout, env: { ...process.env, ...env } });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stderr: r.stderr };
}

/** Every file under a directory, binary ones included (history.duckdb, its WAL), as bytes. */
function filesUnder(path: string): string[] {
  return readdirSync(path, { recursive: true, encoding: 'utf8' }).map((f) => join(path, f)).filter((f) => statSync(f).isFile());
}

/** The forms a leaked password could take in a file: raw, UTF-16 (DuckDB strings are UTF-8, but no assumption), base64. */
const leakForms = (secret: string) => [Buffer.from(secret), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'))];

const scenario = join(dir, 'secure-steady.json');
writeFileSync(scenario, JSON.stringify({
  name: 'secure-steady',
  description: 'A short steady run with no faults against a SASL_SSL cluster (the steady baseline, shortened).',
  brokers: 1,
  phases: [{ name: 'warm-up', duration: '5s' }, { name: 'steady', duration: '15s' }, { name: 'drain', duration: '10s' }],
  workload: { domain: 'orders', rate: 50, knobs: { maxDisorderMs: 2000, duplicateFraction: 0.01 } },
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'aggregates', 'pii', 'fields'],
  slas: { run: ['lost == 0', 'duplicates == 0', 'dlq == 0'] },
}));

describe('an external SASL_SSL cluster', () => {
  it('runs a scenario end to end (harness and SUT over SCRAM-SHA-512 and TLS) and writes the password nowhere', () => {
    // The three sources at once: a Java client properties file, a flag, the environment.
    const properties = join(dir, 'client.properties');
    writeFileSync(properties, ['security.protocol=SASL_SSL', 'sasl.mechanism=SCRAM-SHA-512', 'ssl.truststore.type=PEM', `ssl.truststore.location=${broker.certificates.caFile}`, ''].join('\n'));
    const runs = join(dir, 'runs');
    const r = streamproof(['run', scenario, '--provider', 'external', '--bootstrap', broker.bootstrap, '--kafka-config', properties, '--sasl-username', user.username, '--out', runs, '--seed', '7'], { STREAMPROOF_SASL_PASSWORD: user.password }, 280_000);
    expect(r.status, r.out).toBe(0);
    const runDir = join(runs, 'secure-steady');
    const verdict = JSON.parse(readFileSync(join(runDir, 'verdict.json'), 'utf8')) as { verdict: string; metrics: Record<string, unknown> };
    expect(verdict.verdict).toBe('pass');
    // The replay names the same cluster and its settings, never the password's value.
    expect(readFileSync(join(runDir, 'replay.txt'), 'utf8')).toContain(`--provider external --bootstrap ${broker.bootstrap} --kafka-config ${properties} --sasl-username ${user.username}`);
    const files = filesUnder(runs);
    expect(files.map((f) => f.slice(runs.length + 1))).toEqual(expect.arrayContaining(['secure-steady/history.duckdb', 'secure-steady/verdict.json', 'secure-steady/report.html']));
    // The SUT's logs are there (it ran, over SASL_SSL: its client got the contract's variables).
    const sutLog = files.find((f) => /\/reference-0\.log$/.test(f));
    expect(sutLog).toBeDefined();
    // It joined its group through the only listener clients are told of: SASL_SSL, with the contract's variables.
    expect(readFileSync(sutLog!, 'utf8')).toMatch(/ready: instance 0 joined group /);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const form of leakForms(user.password)) expect(bytes.includes(form), `${file} holds the password`).toBe(false);
    }
    for (const form of leakForms(user.password)) expect(Buffer.from(r.out).includes(form), 'the terminal output holds the password').toBe(false);
  }, 300_000);

  it('says a wrong password in one line, exit 77, without the password tried', () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const r = streamproof(['run', scenario, '--provider', 'external', '--bootstrap', broker.bootstrap, '--security-protocol', 'SASL_SSL', '--sasl-mechanism', 'SCRAM-SHA-256', '--sasl-username', user.username, '--ssl-ca-file', broker.certificates.caFile, '--out', join(dir, 'runs-wrong')], { STREAMPROOF_SASL_PASSWORD: wrong });
    expect(r.status, r.out).toBe(77);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^streamproof: AUTH_FAILED: 127\.0\.0\.1:\d+ refused the SASL SCRAM-SHA-256 login of user 'streamproof-ci': .*invalid credentials/);
    expect(r.out).not.toContain(wrong);
    expect(r.out).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a broker certificate from a CA it does not trust (TLS_FAILED, exit 77)', async () => {
    const other = await makeTestCertificates(dir, 'other');
    const config = join(dir, 'other-ca.json');
    writeFileSync(config, JSON.stringify({ securityProtocol: 'SASL_SSL', sasl: { mechanism: 'PLAIN', username: user.username, password: user.password }, tls: { caFile: other.caFile } }));
    const r = streamproof(['run', scenario, '--provider', 'external', '--bootstrap', broker.bootstrap, '--kafka-config', config, '--out', join(dir, 'runs-ca')]);
    expect(r.status, r.out).toBe(77);
    expect(r.stderr.trim()).toMatch(/^streamproof: TLS_FAILED: TLS with 127\.0\.0\.1:\d+ failed: .*certificate/m);
    expect(r.out).not.toContain(user.password);
  });

  it('refuses bad settings before it connects: one line each, exit 64, never the secret', () => {
    const base = ['run', scenario, '--provider', 'external', '--bootstrap', broker.bootstrap, '--out', join(dir, 'runs-bad')];
    const env = { STREAMPROOF_SASL_PASSWORD: user.password };
    const cases: [string[], RegExp][] = [
      [['--security-protocol', 'SASL_SSL', '--sasl-mechanism', 'SCRAM-SHA-512', '--sasl-username', 'u', '--ssl-ca-file', join(dir, 'missing-ca.pem')], /^streamproof: CONFIG_INVALID: .*cannot read .*missing-ca\.pem: ENOENT$/],
      [['--security-protocol', 'SASL_SSL', '--sasl-mechanism', 'GSSAPI', '--sasl-username', 'u'], /^streamproof: CONFIG_INVALID: .*unknown SASL mechanism 'GSSAPI' \(one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512\)$/],
      [['--sasl-password', user.password], /^streamproof: USAGE: --sasl-password is refused: /],
    ];
    for (const [args, line] of cases) {
      const r = streamproof([...base, ...args], env, 60_000);
      expect(r.status, r.out).toBe(64);
      expect(r.stderr.trim()).toMatch(line);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.out).not.toContain(user.password);
    }
  });
});
