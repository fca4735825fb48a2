import { envelope, shortId, type Domain, type DomainContext, type DomainSource } from '../domain.ts';

export const CLICKSTREAM_EVENT_TYPES = ['page_view', 'add_to_cart', 'checkout'] as const;
export type ClickstreamEventType = (typeof CLICKSTREAM_EVENT_TYPES)[number];

export interface ClickstreamEvent {
  event_id: string;
  event_type: ClickstreamEventType;
  schema_version: number;
  event_time_ms: number;
  key: string;
  session_id: string;
  user_id: string;
  url: string;
  /** schema_version 2 ('add-optional' drift) only. */
  referrer?: string | null;
}

interface Session {
  id: string;
  carted: boolean;
}

const NEW_SESSION_CHANCE = 0.08;

/** A user browses in sessions: views pages, adds to cart, and a checkout ends the session. */
function createSource(context: DomainContext): DomainSource {
  const { random, pools } = context;
  const sessions = new Map<string, Session>();
  const productUrl = () => `https://${pools.siteHost}/${random.pick(pools.categories)}/${random.pick(pools.productSlugs)}`;

  return {
    next(stamp, pickKey) {
      const user = pickKey();
      let session = sessions.get(user);
      let type: ClickstreamEventType;
      if (!session || random.chance(NEW_SESSION_CHANCE)) {
        session = { id: shortId(random, 'SESS', 12), carted: false };
        sessions.set(user, session);
        type = 'page_view';
      } else {
        const u = random.next();
        type = u < 0.75 ? 'page_view' : session.carted && u < 0.85 ? 'checkout' : 'add_to_cart';
      }
      const url = type === 'checkout' ? `https://${pools.siteHost}/checkout` : productUrl();
      if (type === 'add_to_cart') session.carted = true;
      if (type === 'checkout') sessions.delete(user);
      return { ...envelope(stamp, type, user), session_id: session.id, user_id: user, url };
    },
  };
}

export const clickstream: Domain = {
  name: 'clickstream',
  keyPrefix: 'user',
  eventTypes: CLICKSTREAM_EVENT_TYPES,
  piiFields: [],
  createSource,
  optionalV2Field: { name: 'referrer', make: (random, pools) => (random.chance(0.5) ? random.pick(pools.referrers) : null) },
  breakingRename: { from: 'url', to: 'page_url' },
  requiredFields: ['session_id', 'user_id', 'url', 'event_time_ms'],
  wrongType: { field: 'url', make: (random) => random.int(100, 999) },
};
