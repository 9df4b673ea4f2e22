/**
 * The indicators (指标) Pledge measures, each with its definition as the source documents give it: formula,
 * numerator and denominator, unit, which direction is better, and where the data comes from. The catalogue is
 * data, shown as it is in the API and on every dashboard's "how is this computed?" panel, so the definition a
 * manager reads is the one the engine computes. No I/O.
 */

export type Unit = 'percent' | 'seconds' | 'minutes' | 'hours' | 'working_days' | 'count' | 'score5' | 'score100';
export type Better = 'higher' | 'lower';

export interface Localized {
  'zh-CN': string;
  'en-US': string;
}

export interface IndicatorDefinition {
  id: string;
  name: Localized;
  /** The formula in words. */
  formula: Localized;
  numerator: Localized | null;
  denominator: Localized | null;
  unit: Unit;
  better: Better;
  /** The records the figure is computed from. */
  source: Localized;
}

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, 'en-US': en });

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    id: 'first_response_time',
    name: L('首次响应时长', 'First-response time'),
    formula: L('从首次响应时效开始（收到诉求）到首次答复客户的经过时长（自然时间；均值精确，中位数、P90 误差不超过 1%），按答复日计', 'Elapsed (wall-clock) time from the start of the first-response clock (the need received) to the first reply to the customer (mean exact; median and p90 within 1 %), counted on the day of the reply'),
    numerator: null,
    denominator: null,
    unit: 'seconds',
    better: 'lower',
    source: L('工单的首次响应时效', 'First-response clocks of requests'),
  },
  {
    id: 'first_response_compliance',
    name: L('首次响应达标率', 'First-response compliance'),
    formula: L('按时首次响应的时效数 ÷ 已到期或已完成的首次响应时效数 × 100%', 'First-response clocks met on time ÷ first-response clocks met or breached × 100 %'),
    numerator: L('按时完成的首次响应时效', 'First-response clocks met on time'),
    denominator: L('已完成或已超时的首次响应时效', 'First-response clocks met or breached'),
    unit: 'percent',
    better: 'higher',
    source: L('时效记录（按承诺目标）', 'Clocks, per commitment target'),
  },
  {
    id: 'target_compliance',
    name: L('时限目标达标率（按承诺目标）', 'Compliance per commitment target'),
    formula: L('每个时限目标：按时完成的时效数 ÷ 已完成或已超时的时效数 × 100%，按完成或超时日计', 'For each time limit of the commitment: its clocks met on time ÷ its clocks met or breached × 100 %, counted on the day met or breached'),
    numerator: L('按时完成的该目标时效', 'Clocks of the target met on time'),
    denominator: L('已完成或已超时的该目标时效', 'Clocks of the target met or breached'),
    unit: 'percent',
    better: 'higher',
    source: L('工单的时效记录（按承诺目标）', 'Clocks of requests, per commitment target'),
  },
  {
    id: 'initial_solution_compliance',
    name: L('初步解决方案达标率', 'Initial-solution compliance'),
    formula: L('截止于“初步解决方案”的工单时效中按时完成的数量 ÷ 已完成或已超时的该类时效数 × 100%，按完成或超时日计', 'Request clocks stopping at the initial solution met on time ÷ those met or breached × 100 %, counted on the day met or breached'),
    numerator: L('按时完成的初步解决方案时效', 'Initial-solution clocks met on time'),
    denominator: L('已完成或已超时的初步解决方案时效', 'Initial-solution clocks met or breached'),
    unit: 'percent',
    better: 'higher',
    source: L('时效记录', 'Clocks'),
  },
  {
    id: 'resolution_time',
    name: L('解决时长', 'Resolution time'),
    formula: L('从登记到交付处理结果的经过时长（均值精确，中位数、P90 误差不超过 1%），按交付日计', 'Elapsed time from registration to the result delivered (mean exact; median and p90 within 1 %), counted on the day of delivery'),
    numerator: null,
    denominator: null,
    unit: 'seconds',
    better: 'lower',
    source: L('工单', 'Requests'),
  },
  {
    id: 'resolution_rate',
    name: L('问题解决率', 'Resolution rate'),
    formula: L('期内已解决的工单数 ÷ 期内受理的工单数 × 100%', 'Requests resolved in the period ÷ requests accepted in the period × 100 %'),
    numerator: L('已解决工单', 'Requests resolved'),
    denominator: L('受理工单', 'Requests accepted'),
    unit: 'percent',
    better: 'higher',
    source: L('工单', 'Requests'),
  },
  {
    id: 'service_completion_rate',
    name: L('服务完成率', 'Service completion rate'),
    formula: L(
      '期内办结（归档）的服务请求数 ÷ 期内受理的服务请求数 × 100%（本期办结了前期受理的工单时可超过 100%）',
      'Requests completed (archived) in the period ÷ requests accepted in the period × 100 % (above 100 % when the period completes work accepted earlier)',
    ),
    numerator: L('办结工单', 'Requests completed'),
    denominator: L('受理工单', 'Requests accepted'),
    unit: 'percent',
    better: 'higher',
    source: L('工单', 'Requests'),
  },
  {
    id: 'first_contact_resolution_rate',
    name: L('一次性解决率', 'First-contact resolution rate'),
    formula: L('未经重开即办结的工单数 ÷ 办结工单数 × 100%', 'Requests archived without ever being reopened ÷ requests archived × 100 %'),
    numerator: L('未重开的办结工单（含首次接触即解决的来电）', 'Archived requests never reopened (and calls resolved at first contact)'),
    denominator: L('办结工单', 'Requests archived'),
    unit: 'percent',
    better: 'higher',
    source: L('工单、来电记录', 'Requests, call records'),
  },
  {
    id: 'reopen_rate',
    name: L('重开率', 'Reopen rate'),
    formula: L('期内被重开过的办结工单数 ÷ 办结工单数 × 100%', 'Archived requests that were reopened ÷ requests archived × 100 %'),
    numerator: L('重开过的办结工单', 'Archived requests reopened at least once'),
    denominator: L('办结工单', 'Requests archived'),
    unit: 'percent',
    better: 'lower',
    source: L('工单', 'Requests'),
  },
  {
    id: 'complaint_count',
    name: L('投诉件数', 'Complaints'),
    formula: L('期内登记的投诉类工单数', 'Complaint requests registered in the period'),
    numerator: null,
    denominator: null,
    unit: 'count',
    better: 'lower',
    source: L('工单（类型：投诉）', 'Requests of type complaint'),
  },
  {
    id: 'complaint_handling_compliance',
    name: L('投诉处理时效达标率', 'Complaint-handling compliance'),
    formula: L('投诉工单的处理时效（截止于问题解决、结果反馈或归档）中按时完成的数量 ÷ 已完成或已超时的数量 × 100%，按完成或超时日计；投诉登记、首次响应等时效不计', 'Handling clocks of complaints (stopping at resolved, result delivered or archived) met on time ÷ those met or breached × 100 %, counted on the day met or breached; registration, first-response and other clocks of complaints are not handling'),
    numerator: L('按时完成的投诉时效', 'Complaint clocks met on time'),
    denominator: L('已完成或已超时的投诉时效', 'Complaint clocks met or breached'),
    unit: 'percent',
    better: 'higher',
    source: L('投诉工单的时效', 'Clocks of complaint requests'),
  },
  {
    id: 'complaint_handling_days',
    name: L('投诉平均处理时长（工作日）', 'Complaint handling time (working days)'),
    formula: L('投诉工单从登记到交付处理结果所经过的工作日数（登记当日不计，按组织默认日历）的平均值，按交付日计', 'Mean number of working days from a complaint\'s registration to its result delivered (the day of registration does not count; the organization\'s default calendar), counted on the day of delivery'),
    numerator: null,
    denominator: null,
    unit: 'working_days',
    better: 'lower',
    source: L('工单（类型：投诉）、默认工作日历', 'Complaint requests, the default working calendar'),
  },
  {
    id: 'satisfaction_score',
    name: L('客户满意度', 'Customer satisfaction'),
    formula: L('调查评价与回访评价的加权平均分（权重见服务承诺）；默认好评单列，不计入', 'Weighted average of survey and callback ratings (weights from the commitment); default ratings shown apart, not included'),
    numerator: null,
    denominator: null,
    unit: 'score5',
    better: 'higher',
    source: L('评价（调查、门户确认、回访、满意度调查活动）', 'Evaluations (surveys, portal confirmations, callbacks, campaigns)'),
  },
  {
    id: 'satisfaction_rate',
    name: L('满意率', 'Share satisfied'),
    formula: L('满意及以上评价数 ÷ 评价总数 × 100%，调查与回访按服务承诺的权重加权（“满意”起点见评价设置；默认好评单列）', 'Ratings at or above the satisfied level ÷ all ratings × 100 %, surveys and callbacks weighted as in the commitment (the level is set in the evaluation settings; default ratings apart)'),
    numerator: L('满意评价', 'Satisfied ratings'),
    denominator: L('全部实际评价', 'All real ratings'),
    unit: 'percent',
    better: 'higher',
    source: L('评价', 'Evaluations'),
  },
  {
    id: 'callback_rate',
    name: L('回访率', 'Callback rate'),
    formula: L('期内完成回访的工单数 ÷ 期内办结的工单数 × 100%', 'Requests called back in the period ÷ requests archived in the period × 100 %'),
    numerator: L('已完成回访', 'Callbacks done'),
    denominator: L('办结工单', 'Requests archived'),
    unit: 'percent',
    better: 'higher',
    source: L('回访记录', 'Callbacks'),
  },
  {
    id: 'corrective_actions',
    name: L('整改（新增、逾期、按期办结）', 'Corrective actions (opened, overdue, closed on time)'),
    formula: L('期内新增的整改数、逾期数、按期办结数及按期办结率', 'Corrective actions opened, overdue and closed on time in the period, and the on-time share'),
    numerator: L('按期办结的整改', 'Actions closed on time'),
    denominator: L('期内办结的整改', 'Actions closed'),
    unit: 'percent',
    better: 'higher',
    source: L('整改记录', 'Corrective actions'),
  },
  {
    id: 'phone_service_level',
    name: L('电话服务水平', 'Phone service level'),
    formula: L('20 秒内接通的呼入来电数 ÷ 呼入来电数（接通 + 放弃；振铃不足 5 秒即挂断的不计）× 100%，按振铃日计', 'Inbound calls answered within 20 s ÷ inbound calls offered (answered + abandoned; callers hanging up within 5 s of the first ring left out) × 100 %, counted on the day the call rang'),
    numerator: L('N 秒内接通', 'Answered within N s'),
    denominator: L('呼入来电', 'Inbound calls offered'),
    unit: 'percent',
    better: 'higher',
    source: L('通话记录', 'Call records'),
  },
  {
    id: 'backlog',
    name: L('积压工单', 'Backlog'),
    formula: L('期末仍未办结的工单数：截至期末最后一天累计受理数 − 累计办结（归档）数（合并的工单不计）', 'Requests open at the end of the period: all accepted up to its last day − all completed (archived) up to it (merged duplicates left out)'),
    numerator: null,
    denominator: null,
    unit: 'count',
    better: 'lower',
    source: L('工单', 'Requests'),
  },
];

/** The definition of an indicator by id, or undefined. */
export function indicatorOf(id: string): IndicatorDefinition | undefined {
  return INDICATORS.find((d) => d.id === id);
}

/** A rate in percent, or null when the denominator is zero (no data is not 0 %). */
export function percent(numerator: number, denominator: number): number | null {
  if (!(denominator > 0)) return null;
  return (numerator / denominator) * 100;
}
