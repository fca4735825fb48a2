import { describe, expect, it } from 'vitest';
import { mirrorMakerProperties } from './mirror-maker.ts';

describe('mirrorMakerProperties', () => {
  const sites = { source: { alias: 'primary', bootstrapServers: ['127.0.0.1:9092'] }, target: { alias: 'dr', bootstrapServers: ['127.0.0.1:9192', '127.0.0.1:9193'] } };

  it('replicates one way, with group offsets synced and every offset translated', () => {
    const text = mirrorMakerProperties({ ...sites, topics: 'orders\\..*', replicationFactor: 3 });
    const props = Object.fromEntries(text.trim().split('\n').map((l) => l.split(' = ') as [string, string]));
    expect(props).toMatchObject({
      clusters: 'primary, dr',
      'dr.bootstrap.servers': '127.0.0.1:9192,127.0.0.1:9193',
      'primary->dr.enabled': 'true',
      'primary->dr.topics': 'orders\\..*',
      'primary->dr.groups': '.*',
      'dr->primary.enabled': 'false',
      'replication.factor': '3',
      'offset-syncs.topic.replication.factor': '3',
      'sync.group.offsets.enabled': 'true',
      'offset.lag.max': '0',
    });
  });

  it('keeps topic names with identityTopics, excludes what it is told to, and copies only committed records', () => {
    const text = mirrorMakerProperties({ ...sites, topics: 'run1\\..*', topicsExclude: 'run1\\.out', identityTopics: true });
    expect(text).toContain('replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy');
    expect(text).toContain('primary->dr.topics.exclude = run1\\.out');
    expect(text).toContain('primary.consumer.isolation.level = read_committed');
    expect(mirrorMakerProperties({ ...sites, topics: '.*' })).not.toMatch(/replication\.policy\.class|topics\.exclude/);
  });

  it('refuses one alias for both sides, an alias MM2 cannot use, and a site without servers', () => {
    expect(() => mirrorMakerProperties({ ...sites, target: { ...sites.target, alias: 'primary' }, topics: '.*' })).toThrow(/need different aliases/);
    expect(() => mirrorMakerProperties({ ...sites, source: { ...sites.source, alias: 'prim ary' }, topics: '.*' })).toThrow(/alias 'prim ary'/);
    expect(() => mirrorMakerProperties({ ...sites, target: { ...sites.target, bootstrapServers: [] }, topics: '.*' })).toThrow(/'dr' has no bootstrap servers/);
  });
});
