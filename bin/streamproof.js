#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run as they are (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// Everything the command started is stopped by now; a client still retrying must not keep the
// process (and the lab lock a CI job holds) alive.
setTimeout(() => process.exit(), 3000).unref();
