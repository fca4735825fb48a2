import { readdir } from 'node:fs/promises';
import { EXIT } from '../errors.ts';
import { isInstalled } from '../tools/cached-tool.ts';
import { toolsDir } from '../tools/home.ts';
import { PREREQUISITES, probe } from '../tools/prerequisites.ts';
import { findK6 } from '../tools/k6-binary.ts';
import { findLibfaketime } from '../tools/libfaketime.ts';
import { join } from 'node:path';
import { parseCommandArgs, type Command } from './command.ts';
import { colour } from '../colour.ts';
import { printJson } from './output.ts';

const usage = 'streamproof doctor [--json]';

const command: Command = {
  name: 'doctor',
  summary: 'list the prerequisites and cached tools that are there and what is missing',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage);
    const prerequisites = await Promise.all(Object.values(PREREQUISITES).map(probe));
    let cached: string[] = [];
    try {
      cached = (await readdir(toolsDir())).filter((name) => isInstalled(join(toolsDir(), name)));
    } catch {
      /* nothing cached yet */
    }
    const ok = prerequisites.every((p) => p.ok || p.optional);
    // Optional: only `load --engine k6` needs it, and it is the user's (never built here).
    const k6 = await findK6();
    // Optional: only clock faults need it; fetched into the cache on first use (apt-get download).
    const libfaketime = findLibfaketime();
    if (values.json) {
      printJson({ ok, node: process.versions.node, prerequisites, k6, libfaketime, cachedTools: cached, toolsDir: toolsDir() });
    } else {
      console.log(`node ${process.versions.node}`);
      for (const p of prerequisites) {
        const state = p.ok ? colour.green('ok') : p.found ? colour.red(`too old (need >= ${p.minimum})`) : colour.red('missing');
        console.log(`${p.name.padEnd(7)} ${(p.version ?? '-').padEnd(8)} ${state}  ${colour.dim(`for ${p.neededFor}`)}`);
      }
      console.log(`k6      ${k6.found ? `${colour.green('ok')}  ${k6.path}` : `${colour.yellow('absent')}  ${colour.dim(`optional, for load --engine k6: ${k6.reason}`)}`}`);
      console.log(`faketime ${libfaketime.found ? `${colour.green('ok')}  ${libfaketime.path} (${libfaketime.source})` : `${colour.yellow('absent')}  ${colour.dim(`for clock faults, fetched on first use (apt-get download libfaketime): ${libfaketime.reason}`)}`}`);
      console.log(`cached tools in ${toolsDir()}: ${cached.length ? cached.join(', ') : 'none yet (installed on first use)'}`);
    }
    return ok ? EXIT.pass : EXIT.infrastructure;
  },
};
export default command;
