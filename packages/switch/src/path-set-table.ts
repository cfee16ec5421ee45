const EMPTY = -1
/** Slot layout in `slots`: queue pair, candidate bits 0..31, bits 32..63. */
const STRIDE = 3
const FIRST_SLOTS = 64

/**
 * Per queue pair, the set of candidate indices (up to 64) its data packets
 * took at one switch: an open-addressing hash table keyed by queue pair, so a
 * switch holds entries only for the queue pairs that met a choice there.
 * An array indexed by queue pair would hold one entry per queue pair of the
 * whole fabric in every switch: a 1024-host all-to-all (a million queue
 * pairs) made that 1 GB over the fat tree's 256 edge and aggregation switches.
 * Key and bits share one array, so a hop touches one cache line.
 */
export class PathSetTable {
  private slots = new Int32Array(FIRST_SLOTS * STRIDE).fill(EMPTY)
  private mask = FIRST_SLOTS - 1
  /** 32 - log2(slots): the hash is the top bits of the product. */
  private shift = 32 - Math.log2(FIRST_SLOTS)
  /** Queue pairs held. */
  size = 0

  /** Adds candidate `choice` (folded onto 0..63) to queue pair `qp`'s set. */
  add(qp: number, choice: number): void {
    const i = this.find(qp)
    const slots = this.slots
    if (slots[i] === EMPTY) {
      // Half full at most, so a probe ends soon.
      if (2 * (this.size + 1) > this.mask + 1) {
        this.grow()
        this.add(qp, choice)
        return
      }
      slots[i] = qp
      slots[i + 1] = 0
      slots[i + 2] = 0
      this.size++
    }
    const bit = choice & 63
    if (bit < 32) slots[i + 1]! |= 1 << bit
    else slots[i + 2]! |= 1 << (bit - 32)
  }

  /** How many candidates queue pair `qp` took (0 if none recorded). */
  count(qp: number): number {
    const i = this.find(qp)
    return this.slots[i] === EMPTY ? 0 : this.candidatesAt(i)
  }

  /** Calls `f(qp, candidates)` for every queue pair held, in slot order. */
  forEach(f: (qp: number, candidates: number) => void): void {
    const s = this.slots
    for (let i = 0; i < s.length; i += STRIDE) if (s[i] !== EMPTY) f(s[i]!, this.candidatesAt(i))
  }

  /** The size of the set in the slot at `i`. */
  private candidatesAt(i: number): number {
    return popcount(this.slots[i + 1]!) + popcount(this.slots[i + 2]!)
  }

  /** Index in `slots` of `qp`'s slot, or of the empty slot where it would go. */
  private find(qp: number): number {
    const s = this.slots
    // Fibonacci hashing, the product's top bits: a switch meets queue pair ids in strides (one source's
    // queue pairs to every destination), often of a power of two, which the low bits would pile up.
    let h = Math.imul(qp, 0x9e3779b1) >>> this.shift
    for (;;) {
      const i = h * STRIDE
      const k = s[i]!
      if (k === qp || k === EMPTY) return i
      h = (h + 1) & this.mask
    }
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Int32Array(old.length * 2).fill(EMPTY)
    this.mask = 2 * (this.mask + 1) - 1
    this.shift--
    for (let i = 0; i < old.length; i += STRIDE) {
      if (old[i] === EMPTY) continue
      const j = this.find(old[i]!)
      this.slots[j] = old[i]!
      this.slots[j + 1] = old[i + 1]!
      this.slots[j + 2] = old[i + 2]!
    }
  }
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}
