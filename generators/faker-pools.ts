import { Faker, en } from '@faker-js/faker';
import type { Random } from '../harness/random.ts';

/**
 * Realistic strings drawn once per run from a seeded faker, then reused: calling faker per
 * event (or re-seeding it per entity) costs ~100 µs; picking from a pool costs nothing.
 */
export interface FakerPools {
  firstNames: string[];
  lastNames: string[];
  emailDomains: string[];
  siteHost: string;
  categories: string[];
  productSlugs: string[];
  referrers: string[];
  couponCodes: string[];
  firmwareVersions: string[];
}

/** The built-in pools by the names a domain file uses (`{ "pool": "firstNames" }`). */
export const BUILTIN_POOL_NAMES = ['firstNames', 'lastNames', 'emailDomains', 'siteHost', 'categories', 'productSlugs', 'referrers', 'couponCodes', 'firmwareVersions'] as const satisfies readonly (keyof FakerPools)[];

/** A built-in pool's values (siteHost is one value: a pool of one). */
export function builtinPool(pools: FakerPools, name: string): readonly unknown[] | undefined {
  const value = (pools as unknown as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

const POOL = 200;

/** kebab-case: what a name looks like in an email or a URL. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function distinct(make: () => string, size: number): string[] {
  const seen = new Set<string>();
  for (let tries = 0; seen.size < size && tries < size * 20; tries++) seen.add(make());
  return [...seen];
}

/** Builds the pools from `random` (faker is seeded from it) with `refDateMs` as faker's "now". */
export function createFakerPools(random: Random, refDateMs: number): FakerPools {
  const faker = new Faker({ locale: [en], seed: random.int(0, 2 ** 31 - 1) });
  faker.setDefaultRefDate(new Date(refDateMs));
  const siteHost = `shop.${faker.internet.domainName()}`;
  return {
    firstNames: distinct(() => slug(faker.person.firstName()), POOL),
    lastNames: distinct(() => slug(faker.person.lastName()), POOL),
    emailDomains: distinct(() => faker.internet.email().split('@')[1]!, 8),
    siteHost,
    categories: distinct(() => slug(faker.commerce.department()), 12),
    productSlugs: distinct(() => slug(faker.commerce.productName()), POOL),
    referrers: distinct(() => faker.internet.url({ appendSlash: false }), 20),
    couponCodes: distinct(() => faker.string.alphanumeric({ length: 8, casing: 'upper' }), 30),
    firmwareVersions: distinct(() => faker.system.semver(), 6),
  };
}
