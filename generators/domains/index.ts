import { readFileSync } from 'node:fs';
import { defineDomain } from '../declared/domain-file.ts';
import type { DomainSpec } from '../declared/domain-spec.ts';
import type { Domain } from '../domain.ts';
import type { DomainName } from '../options.ts';

/** The built-in domains' files: the same kind of file a user writes. */
export const BUILTIN_DOMAIN_FILES: Record<DomainName, URL> = {
  orders: new URL('./orders.domain.json', import.meta.url),
  clickstream: new URL('./clickstream.domain.json', import.meta.url),
  iot: new URL('./iot.domain.json', import.meta.url),
};

export const BUILTIN_DOMAIN_SPECS = Object.fromEntries(
  Object.entries(BUILTIN_DOMAIN_FILES).map(([name, url]) => [name, JSON.parse(readFileSync(url, 'utf8')) as DomainSpec]),
) as Record<DomainName, DomainSpec>;

/** The domain registry, by name. */
export const DOMAINS = Object.fromEntries(
  Object.entries(BUILTIN_DOMAIN_SPECS).map(([name, spec]) => [name, defineDomain(spec, `generators/domains/${name}.domain.json`)]),
) as Record<DomainName, Domain>;
