import type { Domain } from '../domain.ts';
import type { DomainName } from '../options.ts';
import { clickstream } from './clickstream.ts';
import { iot } from './iot.ts';
import { orders } from './orders.ts';

/** The domain registry, by name. */
export const DOMAINS: Record<DomainName, Domain> = { orders, clickstream, iot };
