// Orders events for k6, in the same shape as generators/domains/orders.ts (field names, order
// and types), made without faker: event `index` is a pure function of (seed, index), so any
// VU can make any event and a rerun with the same seed sends the same values whatever the
// VU scheduling. Plain ES module: k6 imports it, and so do the unit tests in Node.

const REGIONS = ['eu-west', 'us-east', 'us-west', 'ap-south'];
const CURRENCY = { 'eu-west': 'EUR', 'us-east': 'USD', 'us-west': 'USD', 'ap-south': 'INR' };
const FIRST = ['ada', 'alan', 'grace', 'linus', 'barbara', 'ken', 'margaret', 'dennis', 'radia', 'edsger'];
const LAST = ['lovelace', 'turing', 'hopper', 'torvalds', 'liskov', 'thompson', 'hamilton', 'ritchie', 'perlman', 'dijkstra'];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Orders are laid out in blocks of 3 * GAP events: GAP placements, then their second events, then their third. */
export const GAP = 256;

/** FNV-1a over a string: a 32-bit seed for the PRNG. */
export function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small, fast PRNG with a 32-bit state; returns floats in [0, 1). */
export function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (next, min, max) => min + Math.floor(next() * (max - min + 1));
const pick = (next, list) => list[Math.floor(next() * list.length)];

function customerFor(seed, key) {
  const next = prng(hash32(`${seed}:customer:${key}`));
  const email = `${pick(next, FIRST)}.${pick(next, LAST)}${int(next, 1, 99)}@${pick(next, DOMAINS)}`;
  const customer = { id: key, email, card_last4: String(int(next, 0, 9999)).padStart(4, '0') };
  return { customer, region: pick(next, REGIONS) };
}

/** Everything about order `n` that its events repeat, and its fate. */
function order(seed, n, keyCount) {
  const next = prng(hash32(`${seed}:order:${n}`));
  let orderId = 'ORD-';
  for (let i = 0; i < 10; i++) orderId += ID_ALPHABET[int(next, 0, ID_ALPHABET.length - 1)];
  const key = `cust-${String(int(next, 0, keyCount - 1)).padStart(6, '0')}`;
  const amount = int(next, 199, 49_999) / 100;
  // Same odds as the generator: 10% cancelled before payment, 5% of paid orders cancelled.
  const second = next() < 0.9 ? 'order_paid' : 'order_cancelled';
  const third = next() < 0.95 ? 'order_shipped' : 'order_cancelled';
  return { orderId, key, amount, second, third };
}

/**
 * Event `index` of the stream. Index i belongs to block b = i / (3 * GAP); the block's first
 * GAP indexes place orders, the next GAP carry each order's second event (paid or cancelled),
 * the last GAP its third (shipped or cancelled). A placement is GAP events before its next
 * event, so concurrent VUs do not reorder one order's events. An order cancelled before
 * payment has no third event: its slot places a fresh order that stays open, as orders
 * still open at the end of a generator run do.
 */
export function orderEvent(index, { seed, keyCount = 1000, startMs = 0, ratePerSec = 1000 }) {
  const block = Math.floor(index / (3 * GAP));
  const stage = Math.floor((index % (3 * GAP)) / GAP);
  const n = block * GAP + (index % GAP);
  const o = order(seed, n, keyCount);
  let type = 'order_placed';
  let current = o;
  if (stage === 1) type = o.second;
  else if (stage === 2) {
    if (o.second === 'order_cancelled') current = order(seed, `open-${n}`, keyCount);
    else type = o.third;
  }
  const { customer, region } = customerFor(seed, current.key);
  return {
    event_id: `orders-${seed}-${index}`,
    event_type: type,
    schema_version: 1,
    // The logical clock of the arrival schedule, like the generator's eventsPerSecond clock.
    event_time_ms: startMs + Math.floor((index * 1000) / ratePerSec),
    key: current.key,
    order_id: current.orderId,
    amount: current.amount,
    currency: CURRENCY[region],
    region,
    customer,
  };
}
