/**
 * The envelope every Dukcapil web service answers in, read the same lenient way for each of our
 * methods: NIK validation (./response.ts) and data balikan delivery (return-data/wire.ts). No
 * specification is public and deployments differ: keys in any casing (`RESPONSE_CODE`,
 * `response_code`), codes as strings or JSON numbers (`"01"`, `1`, `" 1 "`), a single object
 * where a list is expected, or no `content` envelope at all. NIK and NO_KK sent as JSON numbers
 * keep every digit.
 */

/** One item of `content`, its keys trimmed and upper-cased. */
export type AnswerEntry = Map<string, unknown>;

/**
 * The items of an answer's `content` (a list, or a single object), or the root itself when it
 * has no envelope; null when the body is not JSON or holds no object.
 */
export function answerEntries(body: string): AnswerEntry[] | null {
  let root: unknown;
  try {
    root = JSON.parse(quoteLongIntegers(body));
  } catch {
    return null;
  }
  let content: unknown = root;
  if (isObject(root)) {
    const upper = upperKeys(root);
    if (upper.has('CONTENT')) content = upper.get('CONTENT');
  }
  const list = Array.isArray(content) ? content : isObject(content) ? [content] : null;
  if (list === null) return null;
  return list.filter(isObject).map(upperKeys);
}

/** A RESPONSE_CODE as two digits ("01"), whether sent as text or as a number; null otherwise. */
export function responseCode(v: unknown): string | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 100) return String(v).padStart(2, '0');
  if (typeof v === 'string' && /^\s*[0-9]{1,2}\s*$/.test(v)) return v.trim().padStart(2, '0');
  return null;
}

/** A RESPON text compared as the service's texts are: case and runs of spaces do not matter. */
export function responText(v: unknown): string | null {
  return typeof v === 'string' ? v.trim().replace(/\s+/g, ' ').toUpperCase() : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function upperKeys(o: Record<string, unknown>): AnswerEntry {
  return new Map(Object.entries(o).map(([k, v]) => [k.trim().toUpperCase(), v]));
}

/**
 * Puts quotes around integer literals of 16 or more digits outside strings, so a NIK or
 * Nomor KK sent as a JSON number keeps every digit (province 94 NIKs exceed 2^53).
 */
const JSON_NUMBER = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;

export function quoteLongIntegers(json: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < json.length) {
    const c = json[i]!;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += json[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i += 1;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i += 1;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      const token = JSON_NUMBER.exec(json.slice(i, i + 400))?.[0] ?? c;
      out += /^[0-9]{16,}$/.test(token) ? `"${token}"` : token;
      i += token.length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}
