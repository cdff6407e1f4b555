/**
 * Decodes the few Kubernetes protobuf request bodies that kubectl's typed clients send to
 * the simulated API server (kube-api-sim.ts): `kubectl create configmap|namespace|secret`
 * POST `application/vnd.kubernetes.protobuf`, which a real API server accepts.
 * The envelope is "k8s\0" + runtime.Unknown{typeMeta, raw}; field numbers are those of
 * k8s.io/api's generated.proto. Other kinds are refused (the simulator answers 415).
 */

type Fields = Map<number, Array<Buffer | number>>;

function readVarint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = buf[pos++];
    if (byte === undefined) throw new Error('truncated varint');
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

/** The fields of one message: number -> values (length-delimited as Buffer, varints as number). */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: Buffer | number;
    if (wire === 0) [value, pos] = readVarint(buf, pos);
    else if (wire === 2) {
      const [len, start] = readVarint(buf, pos);
      value = buf.subarray(start, start + len);
      pos = start + len;
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const str = (f: Fields, n: number): string | undefined => {
  const v = f.get(n)?.[0];
  return v instanceof Buffer ? v.toString('utf8') : undefined;
};

function stringMap(f: Fields, n: number): Record<string, string> | undefined {
  const entries = f.get(n);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const e = fields(entry as Buffer);
    out[str(e, 1) ?? ''] = str(e, 2) ?? '';
  }
  return out;
}

function objectMeta(buf: Buffer | undefined): Record<string, unknown> {
  if (!buf) return {};
  const f = fields(buf);
  const meta: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => value !== undefined && (meta[key] = value);
  put('name', str(f, 1));
  put('generateName', str(f, 2));
  put('namespace', str(f, 3));
  put('labels', stringMap(f, 11));
  put('annotations', stringMap(f, 12));
  return meta;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a protobuf request body into the JSON object a client would have sent. */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('not a Kubernetes protobuf envelope');
  const unknown = fields(body.subarray(4));
  const typeMeta = fields((unknown.get(1)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
  const apiVersion = str(typeMeta, 1);
  const kind = str(typeMeta, 2);
  const raw = fields((unknown.get(2)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
  const metadata = objectMeta(raw.get(1)?.[0] as Buffer | undefined);
  switch (`${apiVersion} ${kind}`) {
    case 'v1 ConfigMap':
      return { apiVersion, kind, metadata, ...(raw.has(2) ? { data: stringMap(raw, 2) } : {}) };
    case 'v1 Secret': {
      const data = stringMap(raw, 2);
      return {
        apiVersion,
        kind,
        metadata,
        ...(data
          ? { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'latin1').toString('base64')])) }
          : {}),
        type: str(raw, 3),
      };
    }
    case 'v1 Namespace':
      return { apiVersion, kind, metadata };
    default:
      throw new Error(`kube-api-sim decodes protobuf only for v1 ConfigMap, Secret and Namespace, not ${apiVersion} ${kind}`);
  }
}
