/**
 * junit.xml: one <testsuite> per scenario, one <testcase> per checker and per SLA (and, for a
 * comparison, per compared metric). A failed checker or SLA is a <failure> whose message is
 * "measured vs threshold" and whose body holds the first examples; 'unknown' is an <error>
 * (inconclusive is not a pass); a skipped checker (the SUT promised nothing it judges) is a
 * <skipped message="reason"/>, counted in the testsuite's `skipped` (junit-10.xsd has no
 * `skipped` on <testsuites>: its `tests` include them). Valid against the Jenkins/Surefire junit-10.xsd.
 */
import type { ReportDocument } from './report-document.ts';
import { checkOutcome, skipReason } from './check-outcome.ts';
import { slaLine } from './sla-text.ts';
import { escapeXml, exampleText } from './xml-text.ts';

const EXAMPLES_IN_FAILURE = 5;

/** A failure of the same testcase in another attempt of `run --repeat` (Surefire's rerun elements). */
interface Rerun { tag: 'flakyFailure' | 'rerunFailure'; message: string; body: string }

interface Case { name: string; classname: string; outcome: 'pass' | 'fail' | 'unknown' | 'skipped'; message: string; body: string; reruns?: Rerun[] }

const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

function properties(doc: ReportDocument): [string, string][] {
  const env = doc.environment;
  const props: [string, string | null | undefined][] = [
    ['seed', doc.seed === null ? null : String(doc.seed)],
    ['replay', doc.replay],
    ['verdict', doc.verdict],
    ['report.schemaVersion', String(doc.schemaVersion)],
    ['version.streamproof', env.streamproof],
    ['version.node', env.node],
    ['version.kafka', env.kafka],
    ['provider', env.provider],
    ['brokers', env.brokers === null ? null : String(env.brokers)],
    ['sut', env.sut?.name],
    ['runDir', doc.runDir],
    ...(doc.attempts ?? []).map((a): [string, string] => [`attempt.${a.attempt}`, `${a.verdict} ${a.dir}${a.error ? `: ${a.error}` : a.failed.length > 0 ? `: ${a.failed.join('; ')}` : ''}`]),
  ];
  return props.filter((p): p is [string, string] => typeof p[1] === 'string' && p[1] !== '');
}

function cases(doc: ReportDocument): Case[] {
  const base = `streamproof.${doc.scenario.name}`;
  const out: Case[] = doc.checks.map((c) => ({
    name: c.checker,
    classname: `${base}.checks`,
    outcome: checkOutcome(c),
    message: checkOutcome(c) === 'skipped' ? skipReason(c) || c.summary : c.summary,
    body: [c.summary, `counts: ${JSON.stringify(c.counts)}`, ...c.examples.slice(0, EXAMPLES_IN_FAILURE).map((e) => `example: ${exampleText(e)}`)].join('\n'),
  }));
  for (const s of doc.slas) {
    out.push({
      name: `${s.scope}: ${s.threshold}`,
      classname: `${base}.slas`,
      outcome: s.passed === true ? 'pass' : s.passed === false ? 'fail' : 'unknown',
      message: slaLine(s),
      body: slaLine(s),
    });
  }
  for (const m of doc.comparison?.metrics ?? []) {
    out.push({
      name: `${m.group}: ${m.name}`,
      classname: `${base}.comparison`,
      outcome: m.classification === 'fail' ? 'fail' : m.classification === 'unknown' ? 'unknown' : 'pass',
      message: `${m.classification}: ${m.reason}`,
      body: `baseline p50 ${m.baseline.p50} p99 ${m.baseline.p99}; candidate p50 ${m.candidate.p50} p99 ${m.candidate.p99}; p=${m.pValue ?? 'n/a'}`,
    });
  }
  const diff = doc.comparison?.diff;
  if (diff) {
    const differing = diff.classes.filter((c) => c.count > 0);
    out.push({
      name: 'record diff',
      classname: `${base}.comparison`,
      outcome: differing.length > 0 ? 'fail' : 'pass',
      message: differing.length > 0 ? differing.map((c) => `${c.class} ${c.count}`).join(', ') : `no differences in ${diff.compared} records`,
      body: differing.flatMap((c) => c.examples.slice(0, EXAMPLES_IN_FAILURE).map((e) => `${c.class}: ${exampleText(e)}`)).join('\n'),
    });
  }
  return out;
}

/**
 * `run --repeat`, as Surefire's rerunFailingTestsCount writes it: in a flaky scenario a testcase
 * that failed in the first attempt passes, with a <flakyFailure> per attempt it failed in; in a
 * scenario that failed every time, its <failure> gets a <rerunFailure> per further attempt it failed in.
 */
function withAttempts(doc: ReportDocument, all: Case[]): Case[] {
  if (!doc.attempts) return all;
  const failedIn = (name: string) => doc.attempts!.filter((a) => a.failed.includes(name));
  return all.map((c) => {
    if (c.outcome !== 'fail') return c;
    // Attempts name failed checkers as the testcase does, and failed SLAs as `<scope>: <threshold>`, its name too.
    const later = failedIn(c.name).filter((a) => a.attempt > 1);
    const again = (a: (typeof later)[number], tag: Rerun['tag']): Rerun => ({ tag, message: `attempt ${a.attempt} failed too (${a.report})`, body: a.failed.join('\n') });
    if (doc.verdict === 'flaky') {
      const first: Rerun = { tag: 'flakyFailure', message: `attempt 1: ${c.message}`, body: c.body };
      return { ...c, outcome: 'pass', reruns: [first, ...later.map((a) => again(a, 'flakyFailure'))] };
    }
    return { ...c, reruns: later.map((a) => again(a, 'rerunFailure')) };
  });
}

function rerun(r: Rerun): string {
  return `      <${r.tag} message="${escapeXml(r.message)}" type="fail"><stackTrace>${escapeXml(r.body)}</stackTrace></${r.tag}>`;
}

function testcase(c: Case): string {
  const head = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="0.000"`;
  const reruns = (c.reruns ?? []).map(rerun);
  if (c.outcome === 'pass') return reruns.length === 0 ? `${head}/>` : `${head}>\n${reruns.join('\n')}\n    </testcase>`;
  if (c.outcome === 'skipped') return `${head}>\n      <skipped message="${escapeXml(c.message)}"/>\n    </testcase>`;
  const tag = c.outcome === 'fail' ? 'failure' : 'error';
  const type = c.outcome === 'fail' ? 'fail' : 'unknown';
  return `${head}>\n      <${tag} message="${escapeXml(c.message)}" type="${type}">${escapeXml(c.body)}</${tag}>${reruns.map((r) => `\n${r}`).join('')}\n    </testcase>`;
}

interface Suite { xml: string; tests: number; failures: number; errors: number; skipped: number }

export function junitSuite(doc: ReportDocument): Suite {
  const all = withAttempts(doc, cases(doc));
  const failures = all.filter((c) => c.outcome === 'fail').length;
  const errors = all.filter((c) => c.outcome === 'unknown').length;
  const skipped = all.filter((c) => c.outcome === 'skipped').length;
  const attrs = [
    `name="${escapeXml(doc.scenario.name)}"`,
    `tests="${all.length}"`,
    `failures="${failures}"`,
    `errors="${errors}"`,
    `skipped="${skipped}"`,
    `time="${seconds(doc.durationMs)}"`,
    ...(doc.startedAt ? [`timestamp="${escapeXml(doc.startedAt)}"`] : []),
  ].join(' ');
  const props = properties(doc).map(([name, value]) => `      <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`);
  const xml = [`  <testsuite ${attrs}>`, '    <properties>', ...props, '    </properties>', ...all.map(testcase), '  </testsuite>'].join('\n');
  return { xml, tests: all.length, failures, errors, skipped };
}

/**
 * A whole junit.xml for one or several scenarios (a suite). <testsuites> carries tests, failures
 * and errors only: junit-10.xsd allows no `skipped` there (each <testsuite> has its own).
 */
export function junitXml(docs: readonly ReportDocument[], name = 'streamproof'): string {
  const suites = docs.map(junitSuite);
  const sum = (key: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[key], 0);
  const time = seconds(docs.reduce((ms, d) => ms + (d.durationMs ?? 0), 0));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" time="${time}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
