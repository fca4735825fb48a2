/** The shape of an IoT telemetry event (the domain itself is iot.domain.json). */
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
