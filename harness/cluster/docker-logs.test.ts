import { describe, expect, it } from 'vitest';
import { demultiplex } from './docker-logs.ts';

const frame = (stream: number, text: string) => {
  const data = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
};

describe('demultiplex', () => {
  it('joins the frames of stdout and stderr in order, without their headers', () => {
    const raw = Buffer.concat([frame(1, 'In the new epoch 3, the leader is 2\n'), frame(2, 'warn\n'), frame(1, 'Kafka Server started\n')]);
    expect(demultiplex(raw)).toBe('In the new epoch 3, the leader is 2\nwarn\nKafka Server started\n');
  });

  it('returns text that is not framed (a TTY container) as it is', () => {
    expect(demultiplex(Buffer.from('plain log line\n'))).toBe('plain log line\n');
  });
});
