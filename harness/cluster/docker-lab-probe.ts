import { ensureDockerEngine } from '../tools/docker-engine.ts';
import { DEFAULT_KAFKA_VERSION } from '../tools/kafka-jars.ts';
import { chooseImages } from './docker-images.ts';

export type DockerLabProbe = { ready: true; detail: string } | { ready: false; reason: string };

/**
 * Can the docker provider run here without pulling? An engine (found, or our own dockerd
 * started when Debian's docker.io is installed; nothing is installed) and both images in
 * it. Tests use it to skip with the reason rather than fail or silently pass.
 */
export async function probeDockerLab(kafkaVersion = DEFAULT_KAFKA_VERSION): Promise<DockerLabProbe> {
  try {
    const engine = await ensureDockerEngine({ install: false, onProgress: () => undefined });
    const { getContainerRuntimeClient } = await import('testcontainers');
    const docker = (await getContainerRuntimeClient()).container.dockerode;
    const images = await chooseImages(docker, kafkaVersion);
    const missing = [images.kafka, images.toxiproxy].filter((i) => !i.present).map((i) => i.image);
    if (missing.length > 0) return { ready: false, reason: `docker provider: image(s) ${missing.join(', ')} not in the engine at ${engine.host}; run 'npm run images:build' (offline) or docker pull them` };
    return { ready: true, detail: `${engine.host} (${engine.source}): ${images.kafka.image}, ${images.toxiproxy.image}` };
  } catch (error) {
    return { ready: false, reason: `docker provider: ${(error as Error).message.split('\n')[0]}` };
  }
}
