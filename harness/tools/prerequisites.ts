import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HarnessError } from '../errors.ts';

const exec = promisify(execFile);

export interface Prerequisite {
  name: string;
  command: string;
  args: string[];
  /** Extracts "major.minor" from the tool's version output. */
  parse: (output: string) => string | undefined;
  minimum: string;
  neededFor: string;
  /** Only an example needs it: doctor reports it but does not fail without it. */
  optional?: boolean;
}

export const PREREQUISITES: Record<'java' | 'mvn' | 'go' | 'python3', Prerequisite> = {
  java: {
    name: 'java',
    command: 'java',
    args: ['-version'],
    parse: (out) => out.match(/version "(\d+(?:\.\d+)?)/)?.[1],
    minimum: '17',
    neededFor: 'Kafka brokers',
  },
  mvn: {
    name: 'mvn',
    command: 'mvn',
    args: ['-v'],
    parse: (out) => out.match(/Apache Maven (\d+\.\d+)/)?.[1],
    minimum: '3.6',
    neededFor: 'fetching Kafka jars from Maven Central',
  },
  go: {
    name: 'go',
    command: 'go',
    args: ['version'],
    parse: (out) => out.match(/go(\d+\.\d+)/)?.[1],
    minimum: '1.23',
    neededFor: 'building Toxiproxy',
  },
  python3: {
    name: 'python3',
    command: 'python3',
    args: ['--version'],
    parse: (out) => out.match(/Python (\d+\.\d+)/)?.[1],
    // pyspark 4.x needs Python >= 3.10.
    minimum: '3.10',
    neededFor: 'the Spark + Delta example only',
    optional: true,
  },
};

export interface PrerequisiteStatus {
  name: string;
  found: boolean;
  version?: string;
  ok: boolean;
  minimum: string;
  neededFor: string;
  optional: boolean;
}

export async function probe(tool: Prerequisite): Promise<PrerequisiteStatus> {
  const base = { name: tool.name, minimum: tool.minimum, neededFor: tool.neededFor, optional: tool.optional ?? false };
  try {
    const { stdout, stderr } = await exec(tool.command, tool.args, { timeout: 30_000 });
    const version = tool.parse(`${stdout}\n${stderr}`);
    return { ...base, found: true, version, ok: version !== undefined && compareVersions(version, tool.minimum) >= 0 };
  } catch {
    return { ...base, found: false, ok: false };
  }
}

/** Throws one clear line when the tool is missing or too old. */
export async function requirePrerequisite(name: keyof typeof PREREQUISITES): Promise<void> {
  const status = await probe(PREREQUISITES[name]);
  if (!status.found) {
    throw new HarnessError('TOOL_MISSING', `${name} not found on PATH (needed for ${status.neededFor}; install ${name} >= ${status.minimum})`);
  }
  if (!status.ok) {
    throw new HarnessError('TOOL_MISSING', `${name} ${status.version ?? '(unknown version)'} is too old (needed for ${status.neededFor}; need >= ${status.minimum})`);
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
