import { describe, expect, it } from 'vitest';
import { describeSchedule, parseSchedule } from './schedule.js';

describe('parseSchedule', () => {
  it.each([
    ['*/15 * * * *', '*/15 * * * *'],
    ['  0   3 * * 1-5 ', '0 3 * * 1-5'],
    ['30 2 1,15 jan-jun sun', '30 2 1,15 jan-jun sun'],
    ['@daily', '@daily'],
  ])('accepts %j', (input, out) => expect(parseSchedule(input)).toBe(out));

  it.each([
    ['* * * * *\n* * * * * evil', /five cron fields/],
    ['* * * * * FOO=1', /five cron fields/],
    ['* * * * * extra', /exactly five fields/],
    ['* * * *', /exactly five fields/],
    ['MAILTO=x', /five cron fields/],
    ['@reboot', /@reboot is not allowed/],
    ['60 * * * *', /minute "60" must be 0–59/],
    ['* 24 * * *', /hour "24"/],
    ['* * 0 * *', /day of month "0"/],
    ['* * * 13 *', /month "13"/],
    ['* * * * 8', /day of week "8"/],
    ['5-1 * * * *', /runs backwards/],
    ['*/0 * * * *', /step/],
    ['* * * * %', /five cron fields/],
    ['* * * foo *', /month "foo"/],
  ])('refuses %j', (input, message) => expect(() => parseSchedule(input)).toThrow(message));
});

describe('describeSchedule', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/5 * * * *', 'every 5 minutes'],
    ['30 2 * * *', 'at 02:30'],
    ['0 3 * * 1-5', 'at 03:00, on Monday to Friday'],
    ['0 0 1 * *', 'at 00:00, on day 1 of the month'],
    ['15 * * * *', 'at minute 15 of every hour'],
    ['0 9 * jan,jul *', 'at 09:00 in January, July'],
    ['@weekly', 'once a week (Sunday, 00:00)'],
  ])('reads %j as %j', (s, text) => expect(describeSchedule(s)).toBe(text));
});
