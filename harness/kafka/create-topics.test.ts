import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createTopicsWithLeaders, waitForLeaders } from './create-topics.ts';

/** An admin whose metadata answers come from a script, one per call (the last repeats). */
function scriptedAdmin(answers: Array<Error | number[]>): Admin & { calls: number; created: unknown[] } {
  const admin = {
    calls: 0,
    created: [] as unknown[],
    createTopics: async (options: unknown) => (admin.created.push(options), true),
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      const answer = answers[Math.min(admin.calls++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return { topics: topics.map((name) => ({ name, partitions: answer.map((leader, partitionId) => ({ partitionId, leader })) })) };
    },
  };
  return admin as unknown as Admin & { calls: number; created: unknown[] };
}

const unknownTopic = () => Object.assign(new Error('This server does not host this topic-partition'), { retriable: true, type: 'UNKNOWN_TOPIC_OR_PARTITION' });

describe('createTopicsWithLeaders', () => {
  it('waits out a broker that does not know the new topic yet, then for a leaderless partition', async () => {
    const admin = scriptedAdmin([unknownTopic(), unknownTopic(), [1, -1], [1, 2]]);
    expect(await createTopicsWithLeaders(admin, [{ topic: 't', numPartitions: 2, replicationFactor: 3 }])).toBe(true);
    expect(admin.calls).toBe(4);
    expect(admin.created).toEqual([expect.objectContaining({ waitForLeaders: false })]);
  });

  it('throws a non-retriable error at once', async () => {
    const admin = scriptedAdmin([Object.assign(new Error('not authorized'), { retriable: false })]);
    await expect(waitForLeaders(admin, ['t'])).rejects.toThrow('not authorized');
    expect(admin.calls).toBe(1);
  });

  it('gives up after its timeout, naming the partitions still without a leader', async () => {
    const admin = scriptedAdmin([[-1, 3]]);
    await expect(waitForLeaders(admin, ['t'], 300)).rejects.toThrow(/had no leaders after 300 ms: no leader yet for t\/0$/);
    expect(admin.calls).toBeGreaterThan(1);
  });
});
