export { buildReport, REPORT_FORMAT, REPORT_VERSION, type Report, type ReportInput, type Summary, type FlowRecord, type TierRecord } from './report.ts'
export { collectiveModel, type CostModel } from './cost-model.ts'
export { renderSummary, speedupOf, fmtTime } from './render-summary.ts'
export { renderHpccFct } from './render-hpcc-fct.ts'
