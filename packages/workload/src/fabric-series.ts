import type { Fabric } from '@aifab/topology'

/** What the sampler saw of the fabric as a whole, one entry per sample time. */
export interface FabricSeries {
  tPs: number[]
  /** Per host: payload bytes placed at it so far (throughput per rank is the slope). */
  hostDeliveredBytes: number[][]
  /** Uplinks (switch ports going up a tier): bits serialized so far, for utilization over time. */
  uplinks: { name: string; rateBps: number; bits: number[] }[]
  /** Switch ports' queued bytes at each sample: the busiest few (by their largest sample). */
  queues: { name: string; bytes: number[] }[]
  /** Packets held out of order by receivers, over all queue pairs. */
  reorderHeld: number[]
}

/** Switch ports whose queues the report keeps over time: the ones that queued most. */
const BUSIEST_QUEUES = 8

/**
 * Records fabric-wide series at the FlowSampler's sample times: delivered
 * bytes per host, bits sent per uplink, queue depth per switch port and the
 * reorder windows' occupancy. Memory is bounded the same way: the sampler
 * halves every series when it halves its flows'.
 */
export class FabricSeriesRecorder {
  private readonly s: FabricSeries
  private readonly uplinkPorts: number[] = []
  private readonly queuePorts: number[] = []
  private readonly queues: number[][]

  constructor(private readonly fabric: Fabric) {
    fabric.ports.forEach((p, i) => {
      const tier = fabric.portTiers[i]!
      if (tier === 'leaf-up' || tier === 'agg-up') this.uplinkPorts.push(i)
      if (p.buffer !== null) this.queuePorts.push(i)
    })
    this.queues = this.queuePorts.map(() => [])
    this.s = {
      tPs: [],
      hostDeliveredBytes: fabric.nics.map(() => []),
      uplinks: this.uplinkPorts.map((i) => ({ name: fabric.ports[i]!.name, rateBps: fabric.ports[i]!.peakRateBps, bits: [] })),
      queues: [],
      reorderHeld: [],
    }
  }

  get sampleCount(): number {
    return this.s.tPs.length
  }

  sample(now: number): void {
    const f = this.fabric
    this.s.tPs.push(now)
    f.nics.forEach((n, h) => this.s.hostDeliveredBytes[h]!.push(n.deliveredPayloadBytes))
    this.uplinkPorts.forEach((p, k) => this.s.uplinks[k]!.bits.push(Math.round(f.ports[p]!.bitsSentBy(now))))
    this.queuePorts.forEach((p, k) => this.queues[k]!.push(f.ports[p]!.queuedBytes))
    let held = 0
    for (const qp of f.qps) held += qp.rcvHeld
    this.s.reorderHeld.push(held)
  }

  halve(): void {
    const keep = (a: number[]) => a.filter((_, i) => i % 2 === 0)
    this.s.tPs = keep(this.s.tPs)
    this.s.hostDeliveredBytes = this.s.hostDeliveredBytes.map(keep)
    for (const u of this.s.uplinks) u.bits = keep(u.bits)
    for (let k = 0; k < this.queues.length; k++) this.queues[k] = keep(this.queues[k]!)
    this.s.reorderHeld = keep(this.s.reorderHeld)
  }

  result(): FabricSeries {
    const max = (a: number[]) => a.reduce((m, x) => Math.max(m, x), 0)
    const busiest = this.queuePorts
      .map((p, k) => ({ name: this.fabric.ports[p]!.name, bytes: this.queues[k]!, peak: max(this.queues[k]!) }))
      .filter((q) => q.peak > 0)
      .sort((a, b) => b.peak - a.peak || (a.name < b.name ? -1 : 1))
      .slice(0, BUSIEST_QUEUES)
      .map(({ name, bytes }) => ({ name, bytes }))
    return { ...this.s, queues: busiest }
  }
}
