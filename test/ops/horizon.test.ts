import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ageHours,
  describeCounts,
  horizonDay,
  horizonInstant,
  horizonReached,
  parseHorizon,
} from '../../src/ops/horizon.js';

test('horizonInstant - 24h after the 20:00 ET announcement, summer time (EDT)', () => {
  // 2021-06-09 (Wed) was announced Tue 2021-06-08 20:00 EDT = 2021-06-09T00:00Z.
  assert.equal(horizonInstant('2021-06-09', '24h').toISOString(), '2021-06-10T00:00:00.000Z');
  assert.equal(horizonInstant('2021-06-09', '72h').toISOString(), '2021-06-12T00:00:00.000Z');
});

test('horizonInstant - winter time (EST) and Monday (announced Sunday)', () => {
  // 2020-12-14 (Mon) was announced Sun 2020-12-13 20:00 EST = 2020-12-14T01:00Z.
  assert.equal(horizonInstant('2020-12-14', '24h').toISOString(), '2020-12-15T01:00:00.000Z');
  assert.equal(horizonInstant('2020-12-14', '72h').toISOString(), '2020-12-17T01:00:00.000Z');
});

test('horizonInstant - absolute hours across a DST change', () => {
  // 2021-03-15 (Mon) announced Sun 2021-03-14 20:00 EDT (DST began that morning) = 2021-03-15T00:00Z.
  assert.equal(horizonInstant('2021-03-15', '24h').toISOString(), '2021-03-16T00:00:00.000Z');
  // 2021-11-08 (Mon) announced Sun 2021-11-07 20:00 EST (DST ended that morning) = 2021-11-08T01:00Z.
  assert.equal(horizonInstant('2021-11-08', '72h').toISOString(), '2021-11-11T01:00:00.000Z');
});

test('horizonReached - before, at and after the instant', () => {
  assert.equal(horizonReached('2021-06-09', '24h', new Date('2021-06-09T23:59:59Z')), false);
  assert.equal(horizonReached('2021-06-09', '24h', new Date('2021-06-10T00:00:00Z')), true);
  assert.equal(horizonReached('2021-06-09', '72h', new Date('2021-06-10T18:07:48Z')), false);
});

test('ageHours - hours since the announcement, one decimal', () => {
  assert.equal(ageHours('2021-06-09', new Date('2021-06-10T18:07:48Z')), 42.1);
  assert.equal(ageHours('2021-06-09', new Date('2021-06-10T00:00:00Z')), 24);
  assert.equal(ageHours('2021-06-09', new Date('2021-06-08T23:00:00Z')), -1);
});

test('parseHorizon - accepts 24h and 72h, refuses the rest in one line', () => {
  assert.equal(parseHorizon('24h'), '24h');
  assert.equal(parseHorizon(' 72H '), '72h');
  assert.throws(() => parseHorizon('48h'), { message: 'horizon: must be 24h or 72h, got "48h"' });
});

test('describeCounts - names the horizon and the age', () => {
  assert.equal(describeCounts('24h', 24), '24h horizon: counts 24 h after the announcement');
  assert.equal(describeCounts(undefined, 42.1), 'counts 42.1 h after the announcement');
  assert.equal(describeCounts(undefined, undefined), 'counts as observed');
});

test('horizonDay - the announced mailing whose horizon is nearest to now', () => {
  // Wed 2021-06-09 22:30Z (18:30 EDT): Wednesday's 24h horizon is 1.5 h away.
  assert.equal(horizonDay(new Date('2021-06-09T22:30:00Z'), '24h'), '2021-06-09');
  // The scheduler ran late, after Thursday's mailing went out: still Wednesday's (0.5 h past).
  assert.equal(horizonDay(new Date('2021-06-10T00:30:00Z'), '24h'), '2021-06-09');
  // Winter (EST): Monday 2020-12-14 at 22:30Z is 2.5 h before its 24h horizon.
  assert.equal(horizonDay(new Date('2020-12-14T22:30:00Z'), '24h'), '2020-12-14');
  // 72h: on Friday evening it is Wednesday's mailing that reaches 72 h.
  assert.equal(horizonDay(new Date('2021-06-11T22:30:00Z'), '72h'), '2021-06-09');
  // Saturday evening, 72h: Thursday's mailing (announced Wednesday 20:00 ET).
  assert.equal(horizonDay(new Date('2021-06-12T23:00:00Z'), '72h'), '2021-06-10');
  // Monday evening, 24h: Monday's mailing, not Friday's.
  assert.equal(horizonDay(new Date('2021-06-14T22:30:00Z'), '24h'), '2021-06-14');
});
