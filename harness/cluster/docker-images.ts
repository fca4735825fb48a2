import type Dockerode from 'dockerode';
import { TOXIPROXY_VERSION } from '../tools/toxiproxy-binary.ts';

/** The official images real users get (pulled by testcontainers on first use). */
export function officialKafkaImage(kafkaVersion: string): string {
  return `apache/kafka:${kafkaVersion}`;
}

export function officialToxiproxyImage(): string {
  return `ghcr.io/shopify/toxiproxy:${TOXIPROXY_VERSION}`;
}

/** The offline stand-ins `npm run images:build` makes (images/, docs/docker.md). */
export function localKafkaImage(kafkaVersion: string): string {
  return `streamproof/kafka:${kafkaVersion}-local`;
}

export function localToxiproxyImage(): string {
  return `streamproof/toxiproxy:${TOXIPROXY_VERSION}-local`;
}

/** The schema registry (a lab part when a scenario sends through one: docs/schema-registry.md). */
export function officialRegistryImage(version: string): string {
  return `apicurio/apicurio-registry:${version}`;
}

export function localRegistryImage(version: string): string {
  return `streamproof/apicurio-registry:${version}-local`;
}

export const LOCAL_BASE_IMAGE = 'streamproof/debian-jre:bookworm-17-local';

export interface ImageChoice {
  image: string;
  /** Why this image: an option, an environment variable, or what is present. */
  reason: string;
  present: boolean;
}

export interface DockerImages {
  kafka: ImageChoice;
  toxiproxy: ImageChoice;
}

/**
 * Which images a cluster uses: an explicit option, else STREAMPROOF_KAFKA_IMAGE /
 * STREAMPROOF_TOXIPROXY_IMAGE, else the official image when the engine has it, else our
 * local build when the engine has that (no registry reachable), else the official image
 * (to be pulled).
 */
export async function chooseImages(docker: Dockerode, kafkaVersion: string, explicit: { kafkaImage?: string; toxiproxyImage?: string } = {}): Promise<DockerImages> {
  const [kafka, toxiproxy] = await Promise.all([
    choose(docker, explicit.kafkaImage, 'STREAMPROOF_KAFKA_IMAGE', officialKafkaImage(kafkaVersion), localKafkaImage(kafkaVersion)),
    choose(docker, explicit.toxiproxyImage, 'STREAMPROOF_TOXIPROXY_IMAGE', officialToxiproxyImage(), localToxiproxyImage()),
  ]);
  return { kafka, toxiproxy };
}

/** The registry image, chosen as the others (STREAMPROOF_REGISTRY_IMAGE overrides). */
export function chooseRegistryImage(docker: Dockerode, version: string): Promise<ImageChoice> {
  return choose(docker, undefined, 'STREAMPROOF_REGISTRY_IMAGE', officialRegistryImage(version), localRegistryImage(version));
}

async function choose(docker: Dockerode, explicit: string | undefined, envName: string, official: string, local: string): Promise<ImageChoice> {
  const fromEnv = process.env[envName];
  if (explicit) return { image: explicit, reason: 'option', present: await imagePresent(docker, explicit) };
  if (fromEnv) return { image: fromEnv, reason: envName, present: await imagePresent(docker, fromEnv) };
  if (await imagePresent(docker, official)) return { image: official, reason: 'official, present', present: true };
  if (await imagePresent(docker, local)) return { image: local, reason: 'local build (npm run images:build)', present: true };
  return { image: official, reason: 'official, to be pulled', present: false };
}

export async function imagePresent(docker: Dockerode, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}
