import { describe, expect, it } from 'vitest';
import { labTopic, NO_RETENTION } from '../kafka/lab-topic.ts';
import { DEFAULT_IDENTITY, type OutputRole } from './sut-config.ts';
import { sutTopicsToCreate } from './sut-group.ts';

const retentionOff = [
  { name: 'retention.ms', value: '-1' },
  { name: 'retention.bytes', value: '-1' },
];

describe('sutTopicsToCreate', () => {
  it('creates inputs, declared outputs, dlq, late and bronze, every one with retention off', () => {
    const out = (name: string, role: OutputRole) => ({ name, role, identity: DEFAULT_IDENTITY });
    const outputs = [out('r.out', 'records'), out('r.gold', 'aggregate'), out('r.dlq', 'dlq'), out('r.late', 'late'), out('r.bronze', 'bronze')];
    const wanted = sutTopicsToCreate({ input: [{ name: 'r.in', partitions: 4 }, { name: 'r.in2', partitions: 2 }], outputs }, 3);
    expect(wanted.map((t) => [t.topic, t.numPartitions, t.replicationFactor])).toEqual([
      ['r.in', 4, 3], ['r.in2', 2, 3], ['r.out', 4, 3], ['r.gold', 4, 3], ['r.dlq', 4, 3], ['r.late', 4, 3], ['r.bronze', 4, 3],
    ]);
    for (const t of wanted) expect(t.configEntries).toEqual(retentionOff);
  });

  it('leaves out topics the SUT does not declare', () => {
    const wanted = sutTopicsToCreate({ input: [{ name: 'in', partitions: 1 }], outputs: [] }, 1);
    expect(wanted.map((t) => t.topic)).toEqual(['in']);
  });
});

describe('labTopic', () => {
  it('gives each topic its own config entries (no shared mutable array)', () => {
    const a = labTopic('a', 1, 1);
    a.configEntries!.push({ name: 'x', value: 'y' });
    expect(labTopic('b', 1, 1).configEntries).toEqual(retentionOff);
    expect(NO_RETENTION).toEqual(retentionOff);
  });
});
