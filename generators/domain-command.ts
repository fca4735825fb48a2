import { intOption, parseCommandArgs, type Command } from '../harness/cli/command.ts';
import { EXIT, HarnessError } from '../harness/errors.ts';
import { loadDomainFile } from './declared/domain-file.ts';
import { fieldStats, formatFieldStats } from './field-stats.ts';
import { generateEvents } from './generate-events.ts';

const USAGE = 'streamproof domain check FILE [--seed N] [--count N] [--show N]';

const FLAGS = {
  seed: { type: 'string' },
  count: { type: 'string' },
  show: { type: 'string' },
} as const;

/**
 * `domain check F`: loads a domain file as a run would (schema, then every name and reference),
 * prints its roles, a few events and the statistics of each field over `--count` events.
 */
const command: Command = {
  name: 'domain',
  summary: 'check a domain file: its roles, a few generated events and the statistics of every field',
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, FLAGS, USAGE, true);
    if (positionals[0] !== 'check' || positionals.length !== 2) throw new HarnessError('USAGE', `usage: ${USAGE}`);
    const file = positionals[1]!;
    const seed = intOption(values.seed, '--seed', 1);
    const count = intOption(values.count, '--count', 10_000);
    const show = intOption(values.show, '--show', 3);
    const { spec, domain, sha256 } = await loadDomainFile(file);
    const { roles } = domain;
    console.log(`domain ${domain.name} (${file}, sha256 ${sha256.slice(0, 12)}): keys ${domain.keyPrefix}-NNNNNN`);
    console.log(`  event id ${roles.eventId} (${spec.eventIdFormat ?? 'default'}), event time ${roles.eventTime} (${spec.eventTimeFormat ?? 'epoch-ms'})` +
      `${roles.key ? `, key ${roles.key}` : ''}${roles.eventType ? `, type ${roles.eventType}` : ''}${roles.schemaVersion ? `, version ${roles.schemaVersion}` : ''}`);
    console.log(`  pii: ${domain.piiFields.join(', ') || 'none'}; drift: ${Object.keys(domain.drift).join(', ') || 'none'}; poison: ${domain.requiredFields.length} required fields${domain.wrongTypeField ? `, wrong type on ${domain.wrongTypeField}` : ''}`);
    const events = [...generateEvents({ domain: spec, seed, count })].map((r) => JSON.parse(r.value.toString('utf8')) as Record<string, unknown>);
    console.log(`\n${Math.min(show, events.length)} of ${count} events (seed ${seed}):`);
    for (const event of events.slice(0, show)) console.log(`  ${JSON.stringify(event)}`);
    console.log(`\nfields over ${count} events:`);
    for (const line of formatFieldStats(fieldStats(events))) console.log(`  ${line}`);
    return EXIT.pass;
  },
};

export default command;
