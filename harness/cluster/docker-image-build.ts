import { existsSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { ensureDockerEngine } from '../tools/docker-engine.ts';
import { streamproofHome } from '../tools/home.ts';
import { withInstallLock } from '../tools/install-lock.ts';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars } from '../tools/kafka-jars.ts';
import { runCommand } from '../tools/run-command.ts';
import { ensureToxiproxy } from '../tools/toxiproxy-binary.ts';
import { LOCAL_BASE_IMAGE, localKafkaImage, localRegistryImage, localToxiproxyImage } from './docker-images.ts';
import { DEFAULT_REGISTRY_VERSION, ensureApicurioRegistry } from '../tools/apicurio-registry.ts';

export interface LocalImageBuildOptions {
  kafkaVersion?: string;
  /** The folder holding kafka/ and toxiproxy/ (Dockerfiles and scripts); default ./images. */
  imagesDir?: string;
  /** Rebuild images that exist already. */
  force?: boolean;
  onProgress?: (line: string) => void;
}

export interface LocalImageBuildResult {
  images: { image: string; built: boolean; seconds: number }[];
}

const DEBIAN_SUITE = 'bookworm';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const JRE_PACKAGE = 'openjdk-17-jre-headless';

/**
 * Builds the offline stand-ins for the official images, for machines where no registry is
 * reachable: a Debian root filesystem with a JRE (debootstrap, from the Debian mirror),
 * imported as the base; the Kafka jars of the local provider's Maven cache on top; and the
 * Toxiproxy binary built from its Go module in an otherwise empty image; the schema registry's
 * jar from Maven Central on the base. Each step is
 * skipped when its image exists.
 */
export async function buildLocalImages(options: LocalImageBuildOptions = {}): Promise<LocalImageBuildResult> {
  const progress = options.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const imagesDir = options.imagesDir ?? join(process.cwd(), 'images');
  await ensureDockerEngine({ install: true, onProgress: progress });
  const work = join(streamproofHome(), 'images');
  return withInstallLock(join(work, 'build.lock'), async () => {
    const images: LocalImageBuildResult['images'] = [];
    const step = async (image: string, build: () => Promise<void>) => {
      const t0 = Date.now();
      const exists = !options.force && (await imageExists(image));
      if (exists) progress(`[images] ${image}: present`);
      else {
        progress(`[images] building ${image}`);
        await build();
      }
      images.push({ image, built: !exists, seconds: Math.round((Date.now() - t0) / 100) / 10 });
      if (!exists) progress(`[images] ${image}: built in ${images.at(-1)!.seconds}s`);
    };
    await step(LOCAL_BASE_IMAGE, () => buildBase(work, progress));
    await step(localKafkaImage(kafkaVersion), async () => {
      const jars = await ensureKafkaJars(kafkaVersion, progress);
      const context = join(work, `kafka-${kafkaVersion}-context`);
      await rm(context, { recursive: true, force: true });
      await cp(join(imagesDir, 'kafka'), context, { recursive: true });
      await cp(jars.classpath.replace(/\/\*$/, ''), join(context, 'lib'), { recursive: true });
      await dockerBuild(context, localKafkaImage(kafkaVersion), progress, ['--build-arg', `BASE=${LOCAL_BASE_IMAGE}`]);
      await rm(context, { recursive: true, force: true });
    });
    await step(localToxiproxyImage(), async () => {
      const binary = await ensureToxiproxy(progress);
      const context = join(work, 'toxiproxy-context');
      await rm(context, { recursive: true, force: true });
      await cp(join(imagesDir, 'toxiproxy'), context, { recursive: true });
      await cp(binary, join(context, 'toxiproxy-server'));
      await dockerBuild(context, localToxiproxyImage(), progress);
      await rm(context, { recursive: true, force: true });
    });
    await step(localRegistryImage(DEFAULT_REGISTRY_VERSION), async () => {
      const registry = await ensureApicurioRegistry(DEFAULT_REGISTRY_VERSION, progress);
      const context = join(work, 'schema-registry-context');
      await rm(context, { recursive: true, force: true });
      await cp(join(imagesDir, 'schema-registry'), context, { recursive: true });
      await cp(dirname(registry.jar), join(context, 'app'), { recursive: true });
      await cp(registry.jar, join(context, 'app', 'registry-runner.jar'));
      await rm(join(context, 'app', basename(registry.jar)));
      await dockerBuild(context, localRegistryImage(DEFAULT_REGISTRY_VERSION), progress, ['--build-arg', `BASE=${LOCAL_BASE_IMAGE}`]);
      await rm(context, { recursive: true, force: true });
    });
    return { images };
  }, 60 * 60_000);
}

/** debootstrap (minbase + the JRE), trimmed, then `docker import`. */
async function buildBase(work: string, progress: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) throw new HarnessError('TOOL_MISSING', 'building the base image needs root (debootstrap); run npm run images:build as root');
  if (!existsSync('/usr/sbin/debootstrap')) {
    progress('[images] installing debootstrap with apt-get');
    await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'debootstrap'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 10 * 60_000 });
  }
  await mkdir(work, { recursive: true });
  const rootfs = join(work, `rootfs-${DEBIAN_SUITE}`);
  await rm(rootfs, { recursive: true, force: true });
  let packages = 0;
  await runCommand('debootstrap', ['--variant=minbase', `--include=${JRE_PACKAGE}`, DEBIAN_SUITE, rootfs, DEBIAN_MIRROR], {
    onLine: (line) => {
      // debootstrap prints a line per package and stage: show the stages and every 25th package line.
      const perPackage = /^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) \S+( \S+)?$/.test(line) && !/(Release|Packages)$/.test(line);
      if (!perPackage || ++packages % 25 === 0) progress(`[images] debootstrap: ${line}`);
    },
    timeoutMs: 60 * 60_000,
  });
  // Package caches and docs are dead weight in an image.
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale']) {
    await rm(join(rootfs, dir), { recursive: true, force: true });
    await mkdir(join(rootfs, dir), { recursive: true });
  }
  progress(`[images] docker import ${rootfs} as ${LOCAL_BASE_IMAGE}`);
  await runCommand('sh', ['-c', `tar -C '${rootfs}' -c . | docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["/bin/bash"]' - '${LOCAL_BASE_IMAGE}'`], {
    timeoutMs: 30 * 60_000,
  });
  await rm(rootfs, { recursive: true, force: true });
}

/** The classic builder: COPY-only Dockerfiles need no network and no BuildKit (buildx). */
async function dockerBuild(context: string, tag: string, progress: (line: string) => void, extra: string[] = []): Promise<void> {
  await runCommand('docker', ['build', '--network=host', ...extra, '-t', tag, context], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    onLine: (line) => {
      if (/^(Step|Successfully)/.test(line)) progress(`[images] ${line}`);
    },
    timeoutMs: 30 * 60_000,
  });
}

async function imageExists(image: string): Promise<boolean> {
  return runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', image]).then(
    () => true,
    () => false,
  );
}
