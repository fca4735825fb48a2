// Re-adds package-lock entries for DuckDB's other-platform native bindings. The registry these
// machines reach serves only the linux-x64 ones, so `npm install` here drops the others from
// the lock, and `npm ci` then refuses the lock as out of sync. Run after any `npm install`:
//   node .ci/lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const bindings = lock.packages['node_modules/@duckdb/node-bindings'];
const platforms = { 'darwin-arm64': ['darwin', 'arm64'], 'darwin-x64': ['darwin', 'x64'], 'linux-arm64': ['linux', 'arm64', 'glibc'], 'linux-arm64-musl': ['linux', 'arm64', 'musl'], 'linux-x64': ['linux', 'x64', 'glibc'], 'linux-x64-musl': ['linux', 'x64', 'musl'], 'win32-x64': ['win32', 'x64'], 'win32-arm64': ['win32', 'arm64'] };
let added = 0;
for (const [name, version] of Object.entries(bindings.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const [os, cpu, libc] = platforms[name.replace('@duckdb/node-bindings-', '')] ?? [];
  if (!os) continue;
  lock.packages[key] = { version, cpu: [cpu], license: 'MIT', optional: true, os: [os], ...(libc ? { libc: [libc] } : {}) };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries added`);
