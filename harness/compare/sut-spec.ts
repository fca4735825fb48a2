/**
 * What `--baseline` / `--candidate` name: a SUT file (JSON or module, docs/sut-contract.md) or
 * the reference pipeline in shorthand: `reference`, `reference:bug=reorder-within-key`,
 * `reference:delay-ms=20`, `reference:mode=at-least-once`, `reference:fetch-wait-ms=50`,
 * options joined by commas (`reference:bug=no-dedupe,delay-ms=5`; several bugs as `bug=a+b`).
 */
import { HarnessError } from '../errors.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import { loadSutFile } from '../sut/sut-file.ts';
import { parseBugs } from '../../pipeline/operators/bugs.ts';
import type { DeliveryMode } from '../../pipeline/pipeline-config.ts';
import { referenceSut, type ReferenceSutOptions } from '../../pipeline/reference-sut.ts';

export interface SutSpec {
  /** The text as given (for replay lines and the report). */
  text: string;
  sut: SutConfig;
  /** One line a reader understands: `reference pipeline, bug reorder-within-key`. */
  description: string;
}

const REFERENCE = /^reference(?::(.*))?$/;

/** Parses the options of a `reference:...` shorthand; throws USAGE naming the bad part. */
export function referenceOptions(text: string, flag: string): { options: ReferenceSutOptions; description: string } {
  const match = REFERENCE.exec(text);
  if (!match) throw new HarnessError('USAGE', `${flag}: '${text}' is not a reference shorthand`);
  const options: ReferenceSutOptions = {};
  const parts: string[] = [];
  for (const item of (match[1] ?? '').split(',').filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    switch (name) {
      case 'bug': {
        const bugs = [...parseBugs(value.replace(/\+/g, ','))];
        if (bugs.length === 0) throw new HarnessError('USAGE', `${flag}: bug= needs a bug name (e.g. reference:bug=reorder-within-key)`);
        options.bugs = [...(options.bugs ?? []), ...bugs];
        parts.push(`bug ${bugs.join('+')}`);
        break;
      }
      case 'delay-ms': {
        const ms = Number(value);
        if (value === '' || !Number.isFinite(ms) || ms < 0) throw new HarnessError('USAGE', `${flag}: delay-ms takes a number of milliseconds >= 0, got '${value}'`);
        options.delayMs = ms;
        parts.push(`${ms} ms extra per record`);
        break;
      }
      case 'fetch-wait-ms': {
        // How long a fetch waits for more records: short waits keep batches to one record at a trickle.
        const ms = Number(value);
        if (value === '' || !Number.isInteger(ms) || ms < 0) throw new HarnessError('USAGE', `${flag}: fetch-wait-ms takes a whole number of milliseconds >= 0, got '${value}'`);
        options.fetchWaitMs = ms;
        parts.push(`fetch wait ${ms} ms`);
        break;
      }
      case 'mode': {
        if (value !== 'exactly-once' && value !== 'at-least-once') throw new HarnessError('USAGE', `${flag}: mode must be exactly-once or at-least-once, got '${value}'`);
        options.mode = value as DeliveryMode;
        parts.push(value);
        break;
      }
      default:
        throw new HarnessError('USAGE', `${flag}: unknown reference option '${name}' in '${text}' (known: bug=<name>, delay-ms=<ms>, fetch-wait-ms=<ms>, mode=<mode>)`);
    }
  }
  return { options, description: parts.length > 0 ? `reference pipeline, ${parts.join(', ')}` : 'reference pipeline' };
}

/** Loads what a `--baseline` / `--candidate` flag names. */
export async function loadSutSpec(text: string, flag: string): Promise<SutSpec> {
  if (REFERENCE.test(text)) {
    const { options, description } = referenceOptions(text, flag);
    return { text, sut: referenceSut(options), description };
  }
  const sut = await loadSutFile(text);
  return { text, sut, description: `SUT '${sut.name}' from ${text}` };
}

/**
 * The SUT renamed for one side of a comparison (`reference` → `reference-candidate`): client
 * ids, log files and default group ids must differ between sides even when both run the same
 * program. The reference pipeline keeps its `reference-` prefix (checker parameters key on it).
 */
export function sideNamed(sut: SutConfig, label: string): SutConfig {
  return { ...sut, name: `${sut.name}-${label}` };
}
