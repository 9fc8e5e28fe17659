/**
 * A recorded-style mailing 2021-06-09 (Wed) for the stand-ins: its window is
 * [2021-06-07T18:00Z, 2021-06-08T18:00Z). Edge papers sit just outside it, in other archives,
 * or appear twice, so that only a correct client lists exactly EXPECTED_IDS.
 */
import type { StandInAnnouncement, StandInPaper } from '../../src/standins/arxiv.js';

function paper(
  id: string,
  primary: string,
  categories: string[],
  published: string,
  extra: Partial<StandInPaper> = {},
): StandInPaper {
  return {
    id,
    version: 1,
    title: `Paper ${id} on   ${primary}`,
    abstract: `Abstract of ${id}.\n  It has two lines.`,
    authors: [`Author ${id.slice(-2)}`, 'Second Author'],
    categories,
    primary,
    published,
    updated: published,
    ...extra,
  };
}

/** Inside the window, cs primary. */
export const CS_NEW = paper('2106.04001', 'cs.LG', ['cs.LG', 'cs.AI'], '2021-06-07T19:00:00Z', {
  comment: '12 pages',
});
/** Filed only under math.NA: in the cs listing as cs.NA. */
export const MATH_NA = paper('2106.04002', 'math.NA', ['math.NA'], '2021-06-08T10:00:00Z');
/** stat.ML primary, cross-listed to cs.LG. */
export const STAT_ML = paper('2106.04003', 'stat.ML', ['stat.ML', 'cs.LG'], '2021-06-08T12:00:00Z', {
  doi: '10.1000/xyz',
});
/** physics.optics only: not in cs or stat.ML. */
export const OPTICS = paper('2106.04004', 'physics.optics', ['physics.optics'], '2021-06-08T09:00:00Z');
/** 30 minutes after Tuesday's 14:00 ET cut-off: mailing 2021-06-10. */
export const LATE = paper('2106.04500', 'cs.CV', ['cs.CV'], '2021-06-08T18:30:00Z');
/** 2 hours before Monday's cut-off: mailing 2021-06-08. */
export const EARLY = paper('2106.03900', 'cs.AI', ['cs.AI'], '2021-06-07T16:00:00Z');
/** Replaced the same day: v1 and v2 are both served; kept once as v2. */
export const V1 = paper('2106.04005', 'cs.CL', ['cs.CL'], '2021-06-07T20:00:00Z');
export const V2: StandInPaper = {
  ...V1,
  version: 2,
  updated: '2021-06-08T09:00:00Z',
  title: 'Paper 2106.04005 revised',
};
/** quant-ph primary cross-listed to cs.IT and stat.ML. */
export const QUANT_CROSS = paper(
  '2106.04006',
  'quant-ph',
  ['quant-ph', 'cs.IT', 'stat.ML'],
  '2021-06-08T11:00:00Z',
  {
    journalRef: 'Phys. Rev. Lett. 126 (2021)',
  },
);
/** Filed only under eess.SY: in the cs listing as cs.SY. */
export const EESS_SY = paper('2106.04007', 'eess.SY', ['eess.SY'], '2021-06-08T17:59:00Z');
/** stat.ME: another stat category, not chosen. */
export const STAT_ME = paper('2106.04008', 'stat.ME', ['stat.ME'], '2021-06-08T08:00:00Z');

/** What the API stand-in holds (the duplicate STAT_ML entry is deliberate). */
export const API_PAPERS: StandInPaper[] = [
  CS_NEW,
  MATH_NA,
  STAT_ML,
  STAT_ML,
  OPTICS,
  LATE,
  EARLY,
  V1,
  V2,
  QUANT_CROSS,
  EESS_SY,
  STAT_ME,
];

/** The listing of 2021-06-09 in cs,stat.ML: new first, then cross, each by id. */
export const EXPECTED_IDS = [
  '2106.04001',
  '2106.04002',
  '2106.04003',
  '2106.04005',
  '2106.04007',
  '2106.04006',
];
export const EXPECTED_TYPES = ['new', 'new', 'new', 'new', 'new', 'cross'];

/** The same day as announced (feed / catchup): actions as arXiv recorded them. */
export const ANNOUNCED: StandInAnnouncement[] = [
  { ...CS_NEW, action: 'new' },
  { ...MATH_NA, action: 'new' },
  { ...STAT_ML, action: 'new' },
  { ...OPTICS, action: 'new' },
  { ...V2, action: 'new' },
  { ...QUANT_CROSS, action: 'new' },
  { ...EESS_SY, action: 'new' },
  { ...STAT_ME, action: 'new' },
  // An older paper replaced today: not an announced paper.
  { ...paper('2105.01234', 'cs.LG', ['cs.LG'], '2021-05-03T10:00:00Z'), version: 3, action: 'replace' },
];
