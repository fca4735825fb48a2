import { defineDomain } from './declared/domain-file.ts';
import type { Domain } from './domain.ts';
import { DOMAINS } from './domains/index.ts';
import type { DomainChoice } from './options.ts';

/** The domain a generator option names: a built-in by name, or a declared spec (compiled once). */
export function domainOf(domain: DomainChoice): Domain {
  return typeof domain === 'string' ? DOMAINS[domain] : defineDomain(domain, domain.name);
}

/** The domain's name, for event ids, logs and reports. */
export function domainName(domain: DomainChoice): string {
  return typeof domain === 'string' ? domain : domain.name;
}
