import { EXIT, HarnessError } from '../errors.ts';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars } from '../tools/kafka-jars.ts';
import { ensureToxiproxy } from '../tools/toxiproxy-binary.ts';
import { ensureApicurioRegistry } from '../tools/apicurio-registry.ts';
import { ensureLibfaketime } from '../tools/libfaketime.ts';
import { parseCommandArgs, type Command } from './command.ts';
import { progressLine } from './output.ts';

const usage = 'streamproof tools install [--kafka-version V]';

const command: Command = {
  name: 'tools',
  summary: 'fetch and build the tools the lab needs (Kafka jars, Toxiproxy, the schema registry, libfaketime) into $STREAMPROOF_HOME',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { 'kafka-version': { type: 'string' } }, usage, true);
    if (positionals[0] !== 'install' || positionals.length > 1) throw new HarnessError('USAGE', `usage: ${usage}`);
    const kafka = await ensureKafkaJars(values['kafka-version'] ?? DEFAULT_KAFKA_VERSION, progressLine);
    const toxiproxy = await ensureToxiproxy(progressLine);
    console.log(`kafka ${kafka.version}: ${kafka.classpath}`);
    console.log(`toxiproxy: ${toxiproxy}`);
    // The default suite's registry scenarios start it beside the lab.
    console.log(`schema registry: ${(await ensureApicurioRegistry(undefined, progressLine)).jar}`);
    // Clock faults preload it; a machine without apt says so here and those faults say why they cannot run.
    console.log(`libfaketime: ${await ensureLibfaketime(progressLine).catch((error: unknown) => `not installed: ${(error as Error).message}`)}`);
    // k6 is the user's own binary (docs/k6.md): `doctor` says whether one is there.
    return EXIT.pass;
  },
};
export default command;
