import { describe, expect, it } from 'vitest';
import { parseWhen } from './scheduler.js';

describe('parseWhen', () => {
  it('plans daily runs at the next HH:MM in UTC', () => {
    const next = parseWhen('daily 03:30');
    expect(next(new Date('2026-01-10T01:00:00Z')).toISOString()).toBe('2026-01-10T03:30:00.000Z');
    expect(next(new Date('2026-01-10T03:30:00Z')).toISOString()).toBe('2026-01-11T03:30:00.000Z');
  });

  it('plans weekly runs on the given weekday', () => {
    // 2026-01-10 is a Saturday (6); Sunday is 0.
    expect(parseWhen('weekly 0 04:00')(new Date('2026-01-10T12:00:00Z')).toISOString()).toBe(
      '2026-01-11T04:00:00.000Z',
    );
  });

  it('plans intervals', () => {
    expect(parseWhen('every 15m')(new Date('2026-01-10T00:00:00Z')).toISOString()).toBe('2026-01-10T00:15:00.000Z');
  });

  it('rejects malformed expressions with a readable message', () => {
    expect(() => parseWhen('daily 25:00')).toThrow(/expected 'daily HH:MM'/);
    expect(() => parseWhen('every 0s')).toThrow(/positive/);
    expect(() => parseWhen('hourly')).toThrow(/schedule 'hourly'/);
  });
});
