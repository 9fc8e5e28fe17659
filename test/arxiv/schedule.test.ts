import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  announcementOf,
  assertDay,
  etDate,
  isMailingDay,
  latestMailing,
  mailingDaysBetween,
  nextMailing,
  previousMailing,
  submissionWindow,
} from '../../src/arxiv/schedule.js';
import { HotpapersError } from '../../src/errors.js';

// [mailing day, window start, window end, announcement] — UTC instants.
const TABLE: Array<[string, string, string, string]> = [
  // An ordinary EDT week.
  ['2021-06-07', '2021-06-03T18:00:00.000Z', '2021-06-04T18:00:00.000Z', '2021-06-07T00:00:00.000Z'], // Mon: [Thu, Fri), Sun 20:00
  ['2021-06-08', '2021-06-04T18:00:00.000Z', '2021-06-07T18:00:00.000Z', '2021-06-08T00:00:00.000Z'], // Tue: [Fri, Mon)
  ['2021-06-09', '2021-06-07T18:00:00.000Z', '2021-06-08T18:00:00.000Z', '2021-06-09T00:00:00.000Z'], // Wed: [Mon, Tue)
  ['2021-06-10', '2021-06-08T18:00:00.000Z', '2021-06-09T18:00:00.000Z', '2021-06-10T00:00:00.000Z'], // Thu: [Tue, Wed)
  ['2021-06-11', '2021-06-09T18:00:00.000Z', '2021-06-10T18:00:00.000Z', '2021-06-11T00:00:00.000Z'], // Fri: [Wed, Thu)
  // An EST week.
  ['2021-01-13', '2021-01-11T19:00:00.000Z', '2021-01-12T19:00:00.000Z', '2021-01-13T01:00:00.000Z'],
  // Spring forward on Sun 2021-03-14: Mon's mailing is all EST, announced Sunday 20:00 EDT.
  ['2021-03-12', '2021-03-10T19:00:00.000Z', '2021-03-11T19:00:00.000Z', '2021-03-12T01:00:00.000Z'],
  ['2021-03-15', '2021-03-11T19:00:00.000Z', '2021-03-12T19:00:00.000Z', '2021-03-15T00:00:00.000Z'],
  ['2021-03-16', '2021-03-12T19:00:00.000Z', '2021-03-15T18:00:00.000Z', '2021-03-16T00:00:00.000Z'],
  ['2021-03-17', '2021-03-15T18:00:00.000Z', '2021-03-16T18:00:00.000Z', '2021-03-17T00:00:00.000Z'],
  // Fall back on Sun 2021-11-07: Mon's window is EDT, announced Sunday 20:00 EST.
  ['2021-11-05', '2021-11-03T18:00:00.000Z', '2021-11-04T18:00:00.000Z', '2021-11-05T00:00:00.000Z'],
  ['2021-11-08', '2021-11-04T18:00:00.000Z', '2021-11-05T18:00:00.000Z', '2021-11-08T01:00:00.000Z'],
  ['2021-11-09', '2021-11-05T18:00:00.000Z', '2021-11-08T19:00:00.000Z', '2021-11-09T01:00:00.000Z'],
  ['2021-11-10', '2021-11-08T19:00:00.000Z', '2021-11-09T19:00:00.000Z', '2021-11-10T01:00:00.000Z'],
];

for (const [day, start, end, announced] of TABLE) {
  test(`submissionWindow / announcementOf - ${day}`, () => {
    const w = submissionWindow(day);
    assert.equal(w.start.toISOString(), start);
    assert.equal(w.end.toISOString(), end);
    assert.equal(announcementOf(day).toISOString(), announced);
  });
}

test('submissionWindow - consecutive mailings tile the week without gaps', () => {
  const days = mailingDaysBetween('2021-03-08', '2021-03-26');
  for (let i = 1; i < days.length; i++) {
    assert.equal(
      submissionWindow(days[i]!).start.getTime(),
      submissionWindow(days[i - 1]!).end.getTime(),
      days[i],
    );
  }
});

test('submissionWindow - weekend days have none', () => {
  assert.throws(() => submissionWindow('2021-06-12'), {
    message: 'arxiv: 2021-06-12 is a Saturday; arXiv mails Monday to Friday',
  });
  assert.throws(() => submissionWindow('2021-06-13'), /Sunday/);
});

test('isMailingDay - Monday to Friday only', () => {
  assert.deepEqual(
    ['2021-06-06', '2021-06-07', '2021-06-08', '2021-06-09', '2021-06-10', '2021-06-11', '2021-06-12'].map(
      isMailingDay,
    ),
    [false, true, true, true, true, true, false],
  );
});

test('latestMailing - switches at 20:00 ET and skips weekends', () => {
  const cases: Array<[string, string]> = [
    ['2021-06-08T23:59:00Z', '2021-06-08'], // Tue 19:59 EDT
    ['2021-06-09T00:00:00Z', '2021-06-09'], // Tue 20:00 EDT
    ['2021-06-09T15:00:00Z', '2021-06-09'],
    ['2021-06-12T01:00:00Z', '2021-06-11'], // Fri 21:00 EDT: no Saturday mailing
    ['2021-06-12T15:00:00Z', '2021-06-11'],
    ['2021-06-13T23:59:00Z', '2021-06-11'], // Sun 19:59 EDT
    ['2021-06-14T00:00:00Z', '2021-06-14'], // Sun 20:00 EDT
    ['2021-11-08T00:30:00Z', '2021-11-05'], // Sun 19:30 EST
    ['2021-11-08T01:00:00Z', '2021-11-08'], // Sun 20:00 EST
  ];
  for (const [now, day] of cases) assert.equal(latestMailing(new Date(now)), day, now);
});

test('etDate - the New York calendar date', () => {
  assert.equal(etDate(new Date('2021-06-09T03:59:59Z')), '2021-06-08');
  assert.equal(etDate(new Date('2021-06-09T04:00:00Z')), '2021-06-09');
  assert.equal(etDate(new Date('2021-01-13T04:59:59Z')), '2021-01-12');
  assert.equal(etDate(new Date('2021-01-13T05:00:00Z')), '2021-01-13');
});

test('nextMailing / previousMailing / mailingDaysBetween', () => {
  assert.equal(nextMailing('2021-06-11'), '2021-06-14');
  assert.equal(nextMailing('2021-06-12'), '2021-06-14');
  assert.equal(nextMailing('2021-06-09'), '2021-06-10');
  assert.equal(previousMailing('2021-06-14'), '2021-06-11');
  assert.equal(previousMailing('2021-06-13'), '2021-06-11');
  assert.equal(previousMailing('2021-06-10'), '2021-06-09');
  assert.deepEqual(mailingDaysBetween('2021-06-10', '2021-06-15'), [
    '2021-06-10',
    '2021-06-11',
    '2021-06-14',
    '2021-06-15',
  ]);
  assert.deepEqual(mailingDaysBetween('2021-06-12', '2021-06-13'), []);
  assert.deepEqual(mailingDaysBetween('2021-06-15', '2021-06-10'), []);
});

test('assertDay - one-line errors naming the service', () => {
  assert.equal(assertDay('2021-06-09'), '2021-06-09');
  for (const bad of ['2021-6-9', '2021-02-30', '09/06/2021', '', '2021-06-09T00:00']) {
    assert.throws(
      () => assertDay(bad, 'papers'),
      (e: unknown) =>
        e instanceof HotpapersError &&
        e.message === `papers: date must be a calendar day as YYYY-MM-DD, got ${JSON.stringify(bad)}`,
    );
  }
});
