import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withIds, writeNodeStorage } from './node-storage.ts';

// As Kafka 4.3's StorageTool writes it (static quorum voters).
const META = '#\n#Sat Nov 21 16:14:17 UTC 2026\nnode.id=1\ndirectory.id=CrRRprbgxWdUuRVX67YFMQ\nversion=1\ncluster.id=c3RvcmFnZS10ZW1wbGF0ZQ\n';
const ids = { clusterId: 'AAAAAAAAAAAAAAAAAAAAAA', nodeId: 3, directoryId: 'BBBBBBBBBBBBBBBBBBBBBB' };

describe('node storage', () => {
  it('rewrites the three ids and keeps the rest', () => {
    expect(withIds(META, ids)).toBe('#\n#Sat Nov 21 16:14:17 UTC 2026\nnode.id=3\ndirectory.id=BBBBBBBBBBBBBBBBBBBBBB\nversion=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\n');
  });

  it('refuses a template without one of the ids', () => {
    expect(() => withIds('version=1\nnode.id=1\ncluster.id=x\n', ids)).toThrow(/directory\.id/);
  });

  it('copies the template and replaces what was in the data dir', async () => {
    const root = mkdtempSync(join(tmpdir(), 'node-storage-'));
    const template = join(root, 'template');
    mkdirSync(template);
    writeFileSync(join(template, 'meta.properties'), META);
    writeFileSync(join(template, 'bootstrap.checkpoint'), 'features');
    const data = join(root, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'old-segment'), 'x');
    await writeNodeStorage(template, data, ids);
    expect(readFileSync(join(data, 'meta.properties'), 'utf8')).toContain('node.id=3');
    expect(readFileSync(join(data, 'bootstrap.checkpoint'), 'utf8')).toBe('features');
    expect(readFileSync(join(template, 'meta.properties'), 'utf8')).toBe(META);
    expect(() => readFileSync(join(data, 'old-segment'))).toThrow();
  });
});
