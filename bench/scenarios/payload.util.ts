import type { Message } from 'kafkajs';

/** A ~100-byte JSON value, so every contender (Nest and ours decode JSON by default) gets a valid payload. */
export function jsonValue(fields: Record<string, number>, size = 100): Buffer {
  const head = JSON.stringify(fields).slice(0, -1);
  const pad = Math.max(0, size - head.length - '"pad":""}'.length - 1);
  return Buffer.from(`${head},"pad":"${'x'.repeat(pad)}"}`);
}

/** Scenario 1/4 messages: ~100-byte value and a `message-id` header (what the dedup store keys on). */
export function throughputMessage(runId: string): (i: number) => Message {
  return (i) => ({ value: jsonValue({ i }), headers: { 'message-id': `${runId}-${i}` } });
}

/** Deterministic pseudo-random integers in [0, max] (mulberry32), so every contender sleeps the same sequence. */
export function randomInts(count: number, max: number, seed = 42): number[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Math.floor(next() * (max + 1)));
}

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF'];
const PRODUCTS = [
  'desk lamp',
  'usb-c cable 2m',
  'notebook a5 dotted',
  'espresso beans 1kg',
  'wool socks',
  'tea mug',
];

/** One line of an order. */
export interface OrderLine {
  sku: string;
  qty: number;
  price: number;
  name?: string;
}

/** An order event as an application would publish it (JSON-encoded on the wire). */
export interface OrderEvent {
  id: string;
  customer: string;
  amount: number;
  currency: string;
  items: OrderLine[];
  ts: number;
  status?: string;
  channel?: string;
  shipping?: { name: string; street: string; city: string; zip: string; country: string };
}

/**
 * Order `i`, different fields per i (no two values alike, no compression-friendly padding). `detailed: false`
 * is ~125 bytes encoded (one line, no address); `detailed: true` ~1 KB (ten named lines, a shipping address).
 */
export function orderEvent(i: number, detailed = false, ts = Date.now()): OrderEvent {
  const lines = detailed ? 10 : 1;
  const items = Array.from({ length: lines }, (_, k): OrderLine => {
    const n = (i * 7 + k * 13) % 9973;
    const line: OrderLine = { sku: `SKU-${n}`, qty: 1 + ((i + k) % 4), price: ((n % 5000) + 99) / 100 };
    if (detailed) line.name = `${PRODUCTS[(i + k) % PRODUCTS.length]}, variant ${n % 17}`;
    return line;
  });
  const amount = Math.round(items.reduce((sum, l) => sum + l.qty * l.price, 0) * 100) / 100;
  const order: OrderEvent = {
    id: `ord-${String(i).padStart(9, '0')}`,
    customer: `cust-${(i * 7919) % 100_000}`,
    amount,
    currency: CURRENCIES[i % CURRENCIES.length],
    items,
    ts,
  };
  if (!detailed) return order;
  return {
    ...order,
    status: 'placed',
    channel: i % 3 === 0 ? 'mobile-app' : 'web-shop',
    shipping: {
      name: `Customer ${(i * 7919) % 100_000} Lastname-${i % 811}`,
      street: `${1 + (i % 250)} ${['Harbour Road', 'Station Street', 'Mill Lane', 'Park Avenue'][i % 4]}, flat ${i % 40}`,
      city: ['Rotterdam', 'Lyon', 'Leeds', 'Graz', 'Porto'][i % 5],
      zip: String(10_000 + ((i * 31) % 89_999)),
      country: ['NL', 'FR', 'GB', 'AT', 'PT'][i % 5],
    },
  };
}

/** Mean encoded size of `orderEvent` over a sample, bytes (for the tables: measured, not assumed). */
export function meanOrderBytes(detailed: boolean, sample = 1000): number {
  let bytes = 0;
  for (let i = 0; i < sample; i++) bytes += Buffer.byteLength(JSON.stringify(orderEvent(i, detailed)));
  return bytes / sample;
}
