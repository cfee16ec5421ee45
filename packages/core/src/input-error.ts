/**
 * Bad input from a user (config, trace, flag). The CLI prints
 * `<source>: <path>: <message>` on one line and exits 2, never a stack trace.
 */
export class InputError extends Error {
  constructor(
    /** File name or flag the bad value came from. */
    readonly source: string,
    /** Field path inside it, e.g. `ops[3].dst`; empty for the whole input. */
    readonly path: string,
    readonly expected: string,
  ) {
    // One line whatever the parts hold (a JSON parser's message may quote a line break of the input).
    super((path ? `${source}: ${path}: ${expected}` : `${source}: ${expected}`).replace(/\s*[\r\n]+\s*/g, ' '))
    this.name = 'InputError'
  }
}

/**
 * Warnings about inputs that were read anyway: unknown fields, ignored. One
 * line per file and field, whatever the array index (a million ops with the
 * same stray key give one line with a count); the CLI prints and clears them.
 */
export class InputWarnings {
  private readonly seen = new Map<string, { text: string; count: number }>()

  add(source: string, path: string, message: string): void {
    const key = `${source}: ${path.replace(/\[\d+\]/g, '[*]')}`
    const w = this.seen.get(key)
    if (w !== undefined) w.count++
    else this.seen.set(key, { text: `${key}: ${message}`.replace(/\s*[\r\n]+\s*/g, ' '), count: 1 })
  }

  /** Moves these warnings into `other` (a reader that succeeded hands its warnings on). */
  moveInto(other: InputWarnings): void {
    for (const [key, w] of this.seen) {
      const o = other.seen.get(key)
      if (o !== undefined) o.count += w.count
      else other.seen.set(key, { ...w })
    }
    this.seen.clear()
  }

  /** The warnings so far, one line each, and forgets them. */
  take(): string[] {
    const out = [...this.seen.values()].map((w) => (w.count > 1 ? `${w.text} (${w.count} times)` : w.text))
    this.seen.clear()
    return out
  }
}

/** Where readers put their warnings unless given another collector. */
export const inputWarnings = new InputWarnings()

/** Small checkers for JSON inputs; each throws an InputError naming the field. */
export class FieldReader {
  constructor(
    readonly source: string,
    readonly path = '',
    readonly warnings: InputWarnings = inputWarnings,
  ) {}

  at(key: string | number): FieldReader {
    const p = typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key
    return new FieldReader(this.source, p, this.warnings)
  }

  fail(expected: string, key?: string | number): never {
    throw new InputError(this.source, key === undefined ? this.path : this.at(key).path, expected)
  }

  object(v: unknown): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`expected an object, got ${describe(v)}`)
    return v as Record<string, unknown>
  }

  /** An object of a versioned aifab format: checks `format`, `version` and that every key is known. */
  versionedObject(v: unknown, format: string, version: number, known: readonly string[]): Record<string, unknown> {
    const o = this.object(v)
    this.onlyKeys(o, known)
    if (o.format !== format) this.fail(`expected "${format}", got ${describe(o.format)}`, 'format')
    if (o.version !== version) this.fail(`expected ${version} (the only version this aifab reads), got ${describe(o.version)}`, 'version')
    return o
  }

  /**
   * Keys not in `known` are ignored with a warning that names them (a newer
   * file still reads; a typo is seen, not silently dropped).
   */
  onlyKeys(obj: Record<string, unknown>, known: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!known.includes(k)) this.warnings.add(this.source, this.at(k).path, `unknown field, ignored; expected one of: ${known.join(', ')}`)
    }
  }

  number(obj: Record<string, unknown>, key: string, opts: { min?: number; max?: number; integer?: boolean; optional?: false }): number
  number(obj: Record<string, unknown>, key: string, opts: { min?: number; max?: number; integer?: boolean; optional: true }): number | undefined
  number(
    obj: Record<string, unknown>,
    key: string,
    opts: { min?: number; max?: number; integer?: boolean; optional?: boolean },
  ): number | undefined {
    const v = obj[key]
    if (v === undefined && opts.optional) return undefined
    const what = `${opts.integer ? 'an integer' : 'a number'}${rangeText(opts.min, opts.max)}`
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`expected ${what}, got ${this.got(obj, key)}`, key)
    if (opts.integer && !Number.isInteger(v)) this.fail(`expected ${what}, got ${v}`, key)
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) this.fail(`expected ${what}, got ${v}`, key)
    return v
  }

  string(obj: Record<string, unknown>, key: string, optional?: false): string
  string(obj: Record<string, unknown>, key: string, optional: true): string | undefined
  string(obj: Record<string, unknown>, key: string, optional = false): string | undefined {
    const v = obj[key]
    if (v === undefined && optional) return undefined
    if (typeof v !== 'string') this.fail(`expected a string, got ${this.got(obj, key)}`, key)
    return v
  }

  boolean(obj: Record<string, unknown>, key: string): boolean {
    const v = obj[key]
    if (typeof v !== 'boolean') this.fail(`expected true or false, got ${this.got(obj, key)}`, key)
    return v
  }

  oneOf<T extends string>(obj: Record<string, unknown>, key: string, values: readonly T[]): T {
    const v = obj[key]
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(`expected one of ${values.join(', ')}, got ${this.got(obj, key)}`, key)
    return v as T
  }

  /** What `obj[key]` holds, for an error; when it is missing, a key that differs only in case, dashes or underscores (a misspelling). */
  private got(obj: Record<string, unknown>, key: string): string {
    const v = obj[key]
    if (v !== undefined) return describe(v)
    const loose = (k: string) => k.toLowerCase().replace(/[-_]/g, '')
    const near = Object.keys(obj).find((k) => k !== key && loose(k) === loose(key))
    return near === undefined ? describe(v) : `nothing (missing; the file has "${near}": a misspelling?)`
  }
}

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` in ${min}..${max}`
  if (min !== undefined) return ` >= ${min}`
  if (max !== undefined) return ` <= ${max}`
  return ''
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (missing)'
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)
  if (typeof v === 'object') return 'an object'
  return String(v)
}
