import { randomBytes } from 'node:crypto';

/**
 * A Kafka Uuid (cluster id, directory id): 16 random bytes, base64url; never starting with
 * '-', which StorageTool would read as a flag (as Kafka's own Uuid avoids).
 */
export function newKafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
