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
 * port record is) or anything else is written by JSON.stringify itself.
 */
export function jsonText(value: unknown): LargeText {
  return { [Symbol.iterator]: () => jsonChunks(value) }
}

function* jsonChunks(value: unknown): Generator<string> {
  let buf = ''
  for (const piece of pieces(value, '')) {
    buf += piece
    if (buf.length >= CHUNK_CHARS) {
      yield buf
      buf = ''
    }
  }
  yield buf + '\n'
}

function isContainer(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false
  if (Array.isArray(v)) return true
  const proto = Object.getPrototypeOf(v)
  // toJSON changes what JSON.stringify writes: such objects are left to it.
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function'
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
  // JSON escapes newlines inside strings, so every newline in s is layout.
  return s === undefined || indent === '' ? s : s.replaceAll('\n', '\n' + indent)
}

function* pieces(v: unknown, indent: string): Generator<string> {
  if (!isContainer(v) || isFlat(v)) {
    yield leaf(v, indent) ?? 'null'
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
      while (j < v.length && j - i < SLICE_ELEMENTS && !(isContainer(v[j]) && !isFlat(v[j] as object))) j++
      if (j > i) {
        const s = JSON.stringify(v.slice(i, j), null, 2)
        // "[\n  a,\n  b\n]": the elements, each two spaces in; `indent` more makes them `inner`.
        const body = s.slice(2, -2)
        yield (i === 0 ? '\n' : ',\n') + indent + (indent === '' ? body : body.replaceAll('\n', '\n' + indent))
        i = j
      } else {
        yield (i === 0 ? '\n' : ',\n') + inner
        yield* pieces(v[i], inner)
        i++
      }
    }
    yield '\n' + indent + ']'
    return
  }
  let first = true
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k]
    let text: string | undefined
    if (!isContainer(x)) {
      text = leaf(x, inner)
      if (text === undefined) continue
    }
    yield (first ? '{\n' : ',\n') + inner + JSON.stringify(k) + ': '
    first = false
    if (text === undefined) yield* pieces(x, inner)
    else yield text
  }
  yield first ? '{}' : '\n' + indent + '}'
}
