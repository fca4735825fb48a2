import { judgeMemoryLimit } from '../history/judge-memory.ts';
import { EXIT, HarnessError, isHarnessError, oneLine } from '../errors.ts';
import type { Command } from './command.ts';

/** Commands load lazily so `streamproof doctor` does not pay for kafkajs or DuckDB. */
const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  start: () => import('./start.ts'),
  cluster: () => import('./cluster.ts'),
  tools: () => import('./tools.ts'),
  doctor: () => import('./doctor.ts'),
  generate: () => import('../../generators/generate-command.ts'),
  domain: () => import('../../generators/domain-command.ts'),
  load: () => import('./load.ts'),
  run: () => import('./run.ts'),
  drill: () => import('./drill.ts'),
  check: () => import('./check.ts'),
  schema: () => import('./schema.ts'),
  report: () => import('./report.ts'),
  explore: () => import('./explore.ts'),
  capacity: () => import('./capacity.ts'),
  calibrate: () => import('./calibrate.ts'),
  compare: () => import('./compare.ts'),
  'validate-mutants': () => import('./validate-mutants.ts'),
};

export function registerCommand(name: string, load: () => Promise<{ default: Command }>): void {
  COMMANDS[name] = load;
}

async function help(): Promise<string> {
  const lines = ['usage: streamproof <command> [options]   (--verbose anywhere shows stack traces)', '', 'commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const { default: command } = await load();
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const args = argv.filter((a) => a !== '--verbose');
  const [name, ...rest] = args;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      console.log(await help());
      return name ? EXIT.pass : EXIT.usage;
    }
    const load = COMMANDS[name];
    if (!load) throw new HarnessError('USAGE', `unknown command '${name}' (see streamproof --help)`);
    const { default: command } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`usage: ${command.usage}\n\n${command.summary}`);
      return EXIT.pass;
    }
    judgeMemoryLimit(); // a malformed STREAMPROOF_JUDGE_MEMORY is refused now, not after a run's load
    return await command.run(rest);
  } catch (error) {
    return reportError(error, verbose);
  }
}

export function reportError(error: unknown, verbose: boolean): number {
  if (isHarnessError(error)) {
    console.error(error.toLine());
    if (verbose) console.error(error.stack, error.context, error.cause ?? '');
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`streamproof: INTERNAL: ${oneLine(message)}${verbose ? '' : ' (run with --verbose for details)'}`);
  if (verbose && error instanceof Error) console.error(error.stack);
  return EXIT.infrastructure;
}
