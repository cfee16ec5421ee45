import type { LargeText } from './large-text.ts'

/** Pieces are gathered up to about this many characters before they are handed on. */
const CHUNK_CHARS = 1 << 20
/** Flat elements of an array written by one JSON.stringify call. */
const SLICE_ELEMENTS = 1024

/**
 * `toJson(value)` (JSON.stringify with a two-space indent, and a trailing
 * newline), byte for byte, in pieces of about a megabyte, never one string:
 * plain objects and arrays are opened and their members written one by one;
 * a member that is a flat record (no object or array inside, as a flow or
 * port record is) or anything else is written by JSON.stringify itself. For
 * data as reports hold it; a getter is read more than once.
 */
export function jsonText(value: unknown): LargeText {
  return { [Symbol.iterator]: () => jsonChunks(value) }
}

function* jsonChunks(value: unknown): Generator<string> {
  let buf = ''
  // What toJson gives for a value JSON.stringify leaves out (undefined, a function): its String.
  const top = isContainer(value) ? pieces(value, '') : [String(leaf(value, ''))]
  for (const piece of top) {
    buf += piece
    if (buf.length >= CHUNK_CHARS) {
      yield buf
      buf = ''
    }
  }
  yield buf + '\n'
}

/** Whether JSON.stringify would call v.toJSON (it does for objects, functions and BigInts). */
function hasToJson(v: unknown): boolean {
  const t = typeof v
  return ((t === 'object' && v !== null) || t === 'function' || t === 'bigint') && typeof (v as { toJSON?: unknown }).toJSON === 'function'
}

/** A plain object or array, opened here; anything else (toJSON, class instances, typed arrays) is JSON.stringify's. */
function isContainer(v: unknown): v is object {
  if (typeof v !== 'object' || v === null || hasToJson(v)) return false
  if (Array.isArray(v)) return true
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** True when no member is itself an object or array: JSON.stringify writes it in one go. */
function isFlat(v: object): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (typeof x === 'object' && x !== null) return false
    return true
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k]
    if (typeof x === 'object' && x !== null) return false
  }
  return true
}

/** JSON.stringify(v, null, 2) of a value at nesting `indent`; undefined where JSON.stringify gives undefined. */
function leaf(v: unknown, indent: string): string | undefined {
  const s = JSON.stringify(v, null, 2) as string | undefined
  return s === undefined ? s : indented(s, indent)
}

/** `text`'s lines after the first moved `indent` further in. JSON escapes newlines inside strings, so every newline is layout. */
function indented(text: string, indent: string): string {
  return indent === '' ? text : text.replaceAll('\n', '\n' + indent)
}

/**
 * The text of `v` as member `key` of a holder at nesting `indent`, or
 * undefined when JSON.stringify leaves it out: toJSON is called with the key,
 * as JSON.stringify calls it.
 */
function memberText(v: unknown, key: string, indent: string): string | undefined {
  if (!hasToJson(v)) return leaf(v, indent + '  ')
  const s = JSON.stringify({ [key]: v }, null, 2)
  if (s === '{}') return undefined
  // "{\n  KEY: VALUE\n}": the value, two spaces in; `indent` more puts it where this holder's members go.
  return indented(s.slice(`{\n  ${JSON.stringify(key)}: `.length, -2), indent)
}

/** Plain data's text (see isContainer) at nesting `indent`, in pieces. */
function* pieces(v: object, indent: string): Generator<string> {
  if (isFlat(v)) {
    yield leaf(v, indent)!
    return
  }
  const inner = indent + '  '
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]'
      return
    }
    yield '['
    for (let i = 0; i < v.length; ) {
      // A run of flat elements (flow and port records) goes to JSON.stringify as one slice: its own
      // speed, five times a call per element. The slice is short enough to stay a modest string.
      let j = i
      while (j < v.length && j - i < SLICE_ELEMENTS && !hasToJson(v[j]) && !(isContainer(v[j]) && !isFlat(v[j] as object))) j++
      if (j > i) {
        const s = JSON.stringify(v.slice(i, j), null, 2)
        // "[\n  a,\n  b\n]": the elements, each two spaces in; `indent` more makes them `inner`.
        yield (i === 0 ? '\n' : ',\n') + indent + indented(s.slice(2, -2), indent)
        i = j
        continue
      }
      const x: unknown = v[i]
      yield (i === 0 ? '\n' : ',\n') + inner
      // In an array, what JSON.stringify leaves out of an object (undefined, functions, symbols) is null.
      if (isContainer(x)) yield* pieces(x, inner)
      else yield memberText(x, String(i), indent) ?? 'null'
      i++
    }
    yield '\n' + indent + ']'
    return
  }
  let first = true
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k]
    let text: string | undefined
    if (!isContainer(x)) {
      text = memberText(x, k, indent)
      if (text === undefined) continue
    }
    yield (first ? '{\n' : ',\n') + inner + JSON.stringify(k) + ': '
    first = false
    if (text === undefined) yield* pieces(x as object, inner)
    else yield text
  }
  yield first ? '{}' : '\n' + indent + '}'
}
