import { Reader } from './reader';
import { Writer } from './writer';

/**
 * A small declarative form of the Kafka message definitions (apache/kafka clients/.../common/message/*.json):
 * each field lists the versions it exists in, so one schema encodes and decodes every version we advertise.
 * Only non-flexible (pre-KIP-482) encodings are implemented because we only advertise such versions.
 */
export type PrimitiveType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'float64'
  | 'bool'
  | 'string'
  | 'nullableString'
  | 'bytes'
  | 'nullableBytes'
  /** A record-batch byte blob: decoded as a Buffer view, encoded from a Buffer or a Buffer[] without copying. */
  | 'records';

export interface FieldSpec {
  readonly name: string;
  readonly type: PrimitiveType | StructSpec | ArraySpec;
  readonly min: number;
  readonly max: number;
  readonly nullableFrom: number;
  readonly defaultValue?: unknown;
}

export type StructSpec = readonly FieldSpec[];

export interface ArraySpec {
  readonly array: PrimitiveType | StructSpec;
}

/** `versions` follows the JSON spec notation: '0+', '3+', '1-4'. */
export function field(
  name: string,
  type: PrimitiveType | StructSpec | ArraySpec,
  versions = '0+',
  opts: { nullableVersions?: string; default?: unknown } = {},
): FieldSpec {
  const [min, max] = parseRange(versions);
  const nullableFrom = opts.nullableVersions
    ? parseRange(opts.nullableVersions)[0]
    : Number.POSITIVE_INFINITY;
  return { name, type, min, max, nullableFrom, defaultValue: opts.default };
}

export function arrayOf(type: PrimitiveType | StructSpec): ArraySpec {
  return { array: type };
}

function parseRange(r: string): [number, number] {
  if (r.endsWith('+')) return [Number(r.slice(0, -1)), Number.POSITIVE_INFINITY];
  const [a, b] = r.split('-');
  return [Number(a), Number(b ?? a)];
}

const isArray = (t: FieldSpec['type']): t is ArraySpec => typeof t === 'object' && 'array' in t;

type Decoded = Record<string, unknown>;

function readPrimitive(r: Reader, t: PrimitiveType): unknown {
  switch (t) {
    case 'int8':
      return r.int8();
    case 'int16':
      return r.int16();
    case 'int32':
      return r.int32();
    case 'int64':
      return r.int64();
    case 'uint32':
      return r.uint32();
    case 'float64':
      return r.float64();
    case 'bool':
      return r.bool();
    case 'string':
      return r.string();
    case 'nullableString':
      return r.nullableString();
    case 'bytes':
      return r.nullableBytes() ?? Buffer.alloc(0);
    case 'nullableBytes':
    case 'records':
      return r.nullableBytes();
  }
}

function readType(r: Reader, t: FieldSpec['type'], version: number): unknown {
  if (typeof t === 'string') return readPrimitive(r, t);
  if (isArray(t)) {
    const n = r.int32();
    if (n === -1) return null;
    if (n < 0 || n > r.remaining()) throw new RangeError(`bad array length ${n}`);
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = readType(r, t.array, version);
    return out;
  }
  return decodeStruct(t, r, version);
}

function defaultFor(f: FieldSpec): unknown {
  if (f.defaultValue !== undefined) return f.defaultValue;
  const t = f.type;
  if (isArray(t)) return [];
  if (typeof t !== 'string') return null;
  switch (t) {
    case 'string':
      return '';
    case 'nullableString':
    case 'nullableBytes':
    case 'records':
      return null;
    case 'bytes':
      return Buffer.alloc(0);
    case 'bool':
      return false;
    default:
      return 0;
  }
}

export function decodeStruct<T = Decoded>(spec: StructSpec, r: Reader, version: number): T {
  const out: Decoded = {};
  for (const f of spec) {
    out[f.name] = version >= f.min && version <= f.max ? readType(r, f.type, version) : defaultFor(f);
  }
  return out as T;
}

function writePrimitive(w: Writer, t: PrimitiveType, v: unknown): void {
  switch (t) {
    case 'int8':
      w.int8(v as number);
      return;
    case 'int16':
      w.int16(v as number);
      return;
    case 'int32':
      w.int32(v as number);
      return;
    case 'int64':
      w.int64(v as number);
      return;
    case 'uint32':
      w.uint32(v as number);
      return;
    case 'float64':
      w.float64(v as number);
      return;
    case 'bool':
      w.bool(Boolean(v));
      return;
    case 'string':
      w.nullableString((v as string | null) ?? '');
      return;
    case 'nullableString':
      w.nullableString((v as string | null | undefined) ?? null);
      return;
    case 'bytes':
      w.nullableBytes((v as Buffer | null) ?? Buffer.alloc(0));
      return;
    case 'nullableBytes':
      w.nullableBytes((v as Buffer | null | undefined) ?? null);
      return;
    case 'records':
      if (Array.isArray(v)) w.bytesList(v as Buffer[]);
      else w.nullableBytes((v as Buffer | null | undefined) ?? null);
      return;
  }
}

function writeType(w: Writer, t: FieldSpec['type'], v: unknown, version: number): void {
  if (typeof t === 'string') return writePrimitive(w, t, v);
  if (isArray(t)) {
    if (v === null || v === undefined) {
      w.int32(-1);
      return;
    }
    const arr = v as unknown[];
    w.int32(arr.length);
    for (const item of arr) writeType(w, t.array, item, version);
    return;
  }
  encodeStruct(t, w, (v ?? {}) as Decoded, version);
}

export function encodeStruct(spec: StructSpec, w: Writer, value: object, version: number): void {
  const rec = value as Decoded;
  for (const f of spec) {
    if (version < f.min || version > f.max) continue;
    const v = rec[f.name];
    writeType(w, f.type, v === undefined ? defaultFor(f) : v, version);
  }
}
