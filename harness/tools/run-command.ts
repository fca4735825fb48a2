import { spawn } from 'node:child_process';
import { HarnessError } from '../errors.ts';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Lines of output are passed here (progress); the last lines are kept for the error. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

/** Runs a tool to completion; a non-zero exit becomes a HarnessError with the output's tail. */
export async function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 15) tail.shift();
        options.onLine?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new HarnessError('TOOL_MISSING', `cannot run '${command}': ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else
        reject(
          new HarnessError('TOOL_INSTALL_FAILED', `'${command} ${args.slice(0, 3).join(' ')}...' exited ${code ?? signal}: ${tail.slice(-3).join(' | ')}`, {
            context: { tail },
          }),
        );
    });
  });
}
