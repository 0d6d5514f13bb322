// kubectl's imperative `create namespace|configmap|secret` send their body as Kubernetes protobuf
// ("k8s\0" + runtime.Unknown{typeMeta, raw}) with no JSON fallback, so the sim decodes the few kinds a
// person following the guide creates that way. Field numbers are those of k8s.io/api generated.proto.
import { StoreError } from './types.js';
import type { KubeObject } from './types.js';

type Field = { num: number; wire: number; value: bigint | Buffer };

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[pos];
    if (byte === undefined) throw new Error('truncated varint');
    pos++;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    const num = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, p1);
      out.push({ num, wire, value: v });
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, p1);
      const end = p2 + Number(len);
      if (end > buf.length) throw new Error('truncated field');
      out.push({ num, wire, value: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      out.push({ num, wire, value: buf.subarray(p1, p1 + 8) });
      pos = p1 + 8;
    } else if (wire === 5) {
      out.push({ num, wire, value: buf.subarray(p1, p1 + 4) });
      pos = p1 + 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

const bytesOf = (f: Field): Buffer => (Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0));
const str = (f: Field): string => bytesOf(f).toString('utf8');
const all = (fs: Field[], num: number): Field[] => fs.filter((f) => f.num === num);
const one = (fs: Field[], num: number): Field | undefined => fs.find((f) => f.num === num);

/** map<string, V> entries: key = 1, value = 2. */
function map<V>(fs: Field[], num: number, value: (f: Field) => V): Record<string, V> | undefined {
  const entries = all(fs, num);
  if (entries.length === 0) return undefined;
  const out: Record<string, V> = {};
  for (const e of entries) {
    const kv = fields(bytesOf(e));
    const k = one(kv, 1);
    const v = one(kv, 2);
    out[k ? str(k) : ''] = v ? value(v) : value({ num: 2, wire: 2, value: Buffer.alloc(0) });
  }
  return out;
}

function objectMeta(buf: Buffer): KubeObject['metadata'] {
  const fs = fields(buf);
  const s = (n: number): string | undefined => {
    const f = one(fs, n);
    return f ? str(f) : undefined;
  };
  const meta: KubeObject['metadata'] = { name: s(1) ?? '' };
  const generateName = s(2);
  const namespace = s(3);
  if (generateName) meta.generateName = generateName;
  if (namespace) meta.namespace = namespace;
  const labels = map(fs, 11, str);
  const annotations = map(fs, 12, str);
  if (labels) meta.labels = labels;
  if (annotations) meta.annotations = annotations;
  const finalizers = all(fs, 14).map(str);
  if (finalizers.length > 0) meta['finalizers'] = finalizers;
  return meta;
}

const DECODERS: Record<string, (fs: Field[]) => Record<string, unknown>> = {
  Namespace: (fs) => {
    const spec = one(fs, 2);
    const finalizers = spec ? all(fields(bytesOf(spec)), 1).map(str) : [];
    return finalizers.length > 0 ? { spec: { finalizers } } : {};
  },
  ConfigMap: (fs) => {
    const data = map(fs, 2, str);
    const binaryData = map(fs, 3, (f) => bytesOf(f).toString('base64'));
    const immutable = one(fs, 4);
    return { ...(data ? { data } : {}), ...(binaryData ? { binaryData } : {}), ...(immutable ? { immutable: immutable.value === 1n } : {}) };
  },
  Secret: (fs) => {
    const data = map(fs, 2, (f) => bytesOf(f).toString('base64'));
    const type = one(fs, 3);
    const stringData = map(fs, 4, str);
    return { ...(data ? { data } : {}), ...(type ? { type: str(type) } : {}), ...(stringData ? { stringData } : {}) };
  },
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a protobuf request body into a JSON object; 415 for kinds the sim cannot decode. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  const unsupported = (why: string): StoreError =>
    new StoreError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (${why})`);
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupported('missing protobuf envelope');
  try {
    const envelope = fields(body.subarray(4));
    const typeMeta = one(envelope, 1);
    const raw = one(envelope, 2);
    const tm = typeMeta ? fields(bytesOf(typeMeta)) : [];
    const apiVersion = one(tm, 1);
    const kindField = one(tm, 2);
    const kind = kindField ? str(kindField) : '';
    const decode = DECODERS[kind];
    if (!decode || !raw) throw unsupported(`protobuf decoding of ${kind || 'this kind'} is not simulated`);
    const fs = fields(bytesOf(raw));
    const meta = one(fs, 1);
    return { apiVersion: apiVersion ? str(apiVersion) : 'v1', kind, metadata: meta ? objectMeta(bytesOf(meta)) : { name: '' }, ...decode(fs) };
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw unsupported((e as Error).message);
  }
}
