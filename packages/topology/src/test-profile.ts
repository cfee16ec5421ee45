import type { FabricProfile } from './fabric-profile.ts'

/**
 * A plain profile for the builders' unit tests: ECMP, go-back-n, no ECN, INT,
 * PFC or trimming, static buffers, store-and-forward, a fixed window. Tests
 * override what they exercise.
 */
export function plainProfile(nic: Partial<FabricProfile['nic']> = {}): FabricProfile {
  return {
    format: 'aifab.profile',
    version: 1,
    name: 't',
    switch: {
      loadBalancing: 'ecmp',
      sprayOrder: 'random',
      adaptiveThresholdBytes: 0,
      flowletGapNs: 1000,
      flowletPick: 'hash',
      ecn: null,
      buffer: { model: 'static' },
      pfc: null,
      trimming: false,
      int: null,
      failoverDelayUs: 10,
      forwardingLatencyNs: 0,
      cutThrough: false,
    },
    faults: [],
    nic: {
      processingDelayNs: 0,
      reliability: 'go-back-n',
      entropyPolicy: 'fixed',
      entropyValues: 16,
      qpsPerConnection: 1,
      congestionControl: 'none',
      ccParams: {},
      windowBdp: 1,
      ackEveryPackets: 1,
      rtoUs: 100,
      retryLimit: 7,
      nakIntervalUs: 10,
      reorderWindowPackets: 64,
      reorderNackThresholdPackets: 16,
      ...nic,
    },
  }
}
