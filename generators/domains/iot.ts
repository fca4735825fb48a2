import { Random, hashString } from '../../harness/random.ts';
import { envelope, round2, type Domain, type DomainContext, type DomainSource } from '../domain.ts';

export const IOT_EVENT_TYPES = ['telemetry'] as const;

export interface IotEvent {
  event_id: string;
  event_type: 'telemetry';
  schema_version: number;
  event_time_ms: number;
  key: string;
  device_id: string;
  /** Degrees Celsius, 2 decimals. */
  temperature: number;
  /** Relative humidity in percent, 2 decimals. */
  humidity: number;
  /** Battery charge in percent, 2 decimals, slowly draining. */
  battery: number;
  /** schema_version 2 ('add-optional' drift) only. */
  firmware_version?: string | null;
}

interface Device {
  baseTemperature: number;
  baseHumidity: number;
  battery: number;
}

/** Each device reads around its own baseline (a pure function of seed and key) and drains its battery. */
function createSource(context: DomainContext): DomainSource {
  const { random } = context;
  const devices = new Map<string, Device>();
  const noise = (spread: number) => (random.next() + random.next() + random.next() - 1.5) * spread;

  return {
    next(stamp, pickKey) {
      const key = pickKey();
      let device = devices.get(key);
      if (!device) {
        const r = new Random(hashString(`${context.seed}:device:${key}`));
        device = { baseTemperature: r.int(1500, 3000) / 100, baseHumidity: r.int(3000, 7000) / 100, battery: r.int(6000, 10000) / 100 };
        devices.set(key, device);
      }
      device.battery = Math.max(0, device.battery - 0.01);
      return {
        ...envelope(stamp, 'telemetry', key),
        device_id: key,
        temperature: round2(device.baseTemperature + noise(2)),
        humidity: round2(Math.min(100, Math.max(0, device.baseHumidity + noise(6)))),
        battery: round2(device.battery),
      };
    },
  };
}

export const iot: Domain = {
  name: 'iot',
  keyPrefix: 'dev',
  eventTypes: IOT_EVENT_TYPES,
  piiFields: [],
  createSource,
  optionalV2Field: { name: 'firmware_version', make: (random, pools) => (random.chance(0.8) ? random.pick(pools.firmwareVersions) : null) },
  breakingRename: { from: 'temperature', to: 'temperature_c' },
  requiredFields: ['device_id', 'temperature', 'humidity', 'battery', 'event_time_ms'],
  wrongType: { field: 'temperature', make: (random) => `${random.int(10, 35)}C` },
};
