import { HarnessError } from '../errors.ts';
import { readObject } from '../validation.ts';
import { BROKER_SELECTOR_KEYS, parseBrokerSelector, resolveBroker, type BrokerSelector } from './broker-target.ts';
import type { ActiveFault, FaultContext, FaultType } from './fault.ts';

type Action = 'kill' | 'stop' | 'pause' | 'restart';

/**
 * Process faults on one broker. kill = SIGKILL, stop = SIGTERM (controlled shutdown),
 * pause = SIGSTOP (a gray failure: sockets stay open, nothing answers); healing starts the
 * broker again with its data, or SIGCONTs it. restart is stop + start, with a no-op heal.
 */
function processFault(action: Action, summary: string): FaultType<BrokerSelector> {
  return {
    name: `broker.${action}`,
    summary,
    needsProcessControl: true,
    parse: (attributes, path) => parseBrokerSelector(readObject(attributes ?? {}, path, BROKER_SELECTOR_KEYS), path),
    async start(context: FaultContext, selector: BrokerSelector): Promise<ActiveFault> {
      const { id, label } = await resolveBroker(context.cluster, selector, context.rng);
      const control = context.cluster.brokerProcess(id);
      if (!control) throw new HarnessError('FAULT_UNSUPPORTED', `broker.${action} needs process control, which the ${context.cluster.provider} provider does not offer`);
      let healed = false;
      switch (action) {
        case 'kill':
          await control.kill();
          break;
        case 'stop':
          await control.stop();
          break;
        case 'pause':
          await control.pause();
          break;
        case 'restart':
          await control.restart();
          healed = true;
          break;
      }
      return {
        target: label,
        async heal() {
          if (healed) return;
          healed = true;
          if (action === 'pause') await control.resume();
          else if (!control.running) await control.start();
        },
      };
    },
  };
}

export const PROCESS_FAULTS = [
  processFault('kill', 'SIGKILL a broker; heal starts it again with its data'),
  processFault('stop', 'SIGTERM a broker (controlled shutdown); heal starts it again'),
  processFault('pause', 'SIGSTOP a broker (gray failure); heal sends SIGCONT'),
  processFault('restart', 'stop and start a broker at once'),
];
