/**
 * The size of a decoded socket payload as JSON, measured by an iterative walk instead of JSON.stringify: a payload
 * nested a hundred thousand levels deep (a few hundred bytes on the wire) overflows a recursive serialiser's stack,
 * and re-serialising every packet only to measure it costs as much as the packet itself. The walk stops as soon
 * as the payload is known to be too large or too deep.
 */

/** No command payload comes close: the deepest schema is an object holding an array of ids. */
export const MAX_PAYLOAD_DEPTH = 16;

export type PayloadVerdict = 'ok' | 'too-large' | 'too-deep';

function stringSize(value: string): number {
  let escapes = 0;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    // \" \\ \b \t \n \f \r take one extra character, other control characters \u00XX five.
    if (code === 0x22 || code === 0x5c || (code >= 0x08 && code <= 0x0d && code !== 0x0b)) escapes += 1;
    else if (code < 0x20) escapes += 5;
  }
  return value.length + 2 + escapes;
}

/** Sizes in JSON characters (what JSON.stringify(value).length would give, binary counted by its bytes). */
export function checkPayload(value: unknown, maxBytes: number, maxDepth = MAX_PAYLOAD_DEPTH): PayloadVerdict {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  let size = 0;
  while (pending.length > 0) {
    const { value: item, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof item === 'string') size += stringSize(item);
    else if (typeof item === 'number' || typeof item === 'boolean') size += String(item).length;
    else if (item === null || item === undefined) size += 4;
    else if (ArrayBuffer.isView(item) || item instanceof ArrayBuffer) size += item.byteLength;
    else if (typeof item === 'object') {
      if (depth >= maxDepth) return 'too-deep';
      if (Array.isArray(item)) {
        size += 2 + Math.max(0, item.length - 1);
        for (const child of item) pending.push({ value: child, depth: depth + 1 });
      } else {
        const keys = Object.keys(item);
        size += 2 + Math.max(0, keys.length - 1);
        for (const key of keys) {
          size += stringSize(key) + 1;
          pending.push({ value: (item as Record<string, unknown>)[key], depth: depth + 1 });
        }
      }
    } else size += 4;
    if (size > maxBytes) return 'too-large';
  }
  return 'ok';
}
