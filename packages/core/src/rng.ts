// Seeded random numbers. One seed per run; each component draws from its own
// named stream so that adding a component never shifts anyone else's numbers.

/** FNV-1a over the UTF-16 code units of `s`, 32 bits. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** splitmix32 step: turns any 32-bit value into a well-mixed one. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/** A small, fast generator (sfc32): 128 bits of state, passes PractRand to 2^40+. */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number, salt = 0) {
    this.a = mix32(seed ^ 0x2545f491)
    this.b = mix32(salt ^ 0x9e3779b9)
    this.c = mix32(seed + salt * 31 + 0x6a09e667)
    this.d = 1
    for (let i = 0; i < 12; i++) this.nextU32()
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n)
  }
}

/** The run's root of randomness: `stream(name)` is stable for a given seed and name. */
export class RngFactory {
  constructor(readonly seed: number) {}

  stream(name: string): Rng {
    return new Rng(this.seed >>> 0, fnv1a(name))
  }

  /** A 32-bit value derived from the seed and a name, e.g. a switch's ECMP hash seed. */
  derive(name: string): number {
    return mix32((this.seed >>> 0) ^ fnv1a(name))
  }
}
