import { describe, expect, it } from 'vitest';
import { artifactOf } from './spark-delta.ts';

describe('artifactOf', () => {
  it('strips the version (and a classifier after it) from a jar file name', () => {
    expect(artifactOf('kafka-clients-3.9.2.jar')).toBe('kafka-clients');
    expect(artifactOf('delta-spark_4.2_2.13-4.4.0.jar')).toBe('delta-spark_4.2_2.13');
    expect(artifactOf('spark-sql-kafka-0-10_2.13-4.2.0.jar')).toBe('spark-sql-kafka-0-10_2.13');
    expect(artifactOf('commons-pool2-2.13.1.jar')).toBe('commons-pool2');
    expect(artifactOf('shims-0.9.25.jar')).toBe('shims');
    expect(artifactOf('zstd-jni-1.5.7-3.jar')).toBe('zstd-jni');
    expect(artifactOf('jackson-core-2.18.2.jar')).toBe('jackson-core');
    expect(artifactOf('netty-transport-native-epoll-4.1.118.Final-linux-x86_64.jar')).toBe('netty-transport-native-epoll');
  });
});
