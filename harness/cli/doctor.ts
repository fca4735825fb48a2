import { readdir } from 'node:fs/promises';
import { EXIT } from '../errors.ts';
import { isInstalled } from '../tools/cached-tool.ts';
import { toolsDir } from '../tools/home.ts';
import { PREREQUISITES, probe } from '../tools/prerequisites.ts';
import { findK6 } from '../tools/k6-binary.ts';
import { partitionCapability } from '../faults/partition-capability.ts';
import { findLibfaketime } from '../tools/libfaketime.ts';
import { join } from 'node:path';
import { parseCommandArgs, type Command } from './command.ts';
import { limitedDiskUnavailable } from '../cluster/disk-probe.ts';
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
    // Fault capabilities: optional, a scenario that needs one says so (exit 3) when it is missing.
    const diskWhyNot = await limitedDiskUnavailable();
    const libfaketime = findLibfaketime();
    const partition = partitionCapability();
    const faults = {
      'net.partition': partition,
      'disk.full': { available: diskWhyNot === undefined, detail: diskWhyNot ?? 'size-limited broker disks (tmpfs) can be mounted' },
      // libfaketime: the system's, or fetched into the cache on first use (apt-get download).
      'clock.*': libfaketime.found ? { available: true, detail: `libfaketime ${libfaketime.path} (${libfaketime.source})` } : { available: true, detail: `libfaketime fetched on first use (apt-get download libfaketime): ${libfaketime.reason}` },
    };
    if (values.json) {
      printJson({ ok, node: process.versions.node, prerequisites, k6, libfaketime, faults, cachedTools: cached, toolsDir: toolsDir() });
    } else {
      console.log(`node ${process.versions.node}`);
      for (const p of prerequisites) {
        const state = p.ok ? colour.green('ok') : p.found ? colour.red(`too old (need >= ${p.minimum})`) : colour.red('missing');
        console.log(`${p.name.padEnd(7)} ${(p.version ?? '-').padEnd(8)} ${state}  ${colour.dim(`for ${p.neededFor}`)}`);
      }
      console.log(`k6      ${k6.found ? `${colour.green('ok')}  ${k6.path}` : `${colour.yellow('absent')}  ${colour.dim(`optional, for load --engine k6: ${k6.reason}`)}`}`);
      for (const [name, c] of Object.entries(faults)) {
        console.log(`${name.padEnd(14)} ${c.available ? colour.green('ok') : colour.yellow('unavailable')}  ${colour.dim(c.detail)}`);
      }
      console.log(`cached tools in ${toolsDir()}: ${cached.length ? cached.join(', ') : 'none yet (installed on first use)'}`);
    }
    return ok ? EXIT.pass : EXIT.infrastructure;
  },
};
export default command;
