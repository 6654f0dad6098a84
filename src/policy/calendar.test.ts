import { describe, expect, it } from 'vitest';
import {
  activeHolidays,
  checkTimeZone,
  inWeeklyWindow,
  localDate,
  parseCalendar,
  responderAvailability,
  type WeeklyWindow,
  wallTime,
  zonedTimeToUtc,
} from './calendar.js';

const weekend: WeeklyWindow = {
  name: 'weekend',
  from: { day: 'friday', time: '15:00' },
  to: { day: 'monday', time: '08:00' },
};
const london = 'Europe/London';
const newYork = 'America/New_York';

function local(text: string, zone: string): Date {
  const [date = '', time = '00:00'] = text.split(' ');
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  return zonedTimeToUtc({ year, month, day, hour, minute }, zone);
}

describe('wall time in a zone', () => {
  it('converts both ways around the London DST changes (last Sunday of March and October)', () => {
    // 2026-03-29 01:00 UTC clocks go from 01:00 GMT to 02:00 BST.
    expect(wallTime(new Date('2026-03-29T00:59:00Z'), london)).toMatchObject({ hour: 0, minute: 59 });
    expect(wallTime(new Date('2026-03-29T01:00:00Z'), london)).toMatchObject({ hour: 2, minute: 0 });
    expect(local('2026-03-29 03:00', london).toISOString()).toBe('2026-03-29T02:00:00.000Z');
    expect(local('2026-03-28 12:00', london).toISOString()).toBe('2026-03-28T12:00:00.000Z');
    // 01:30 does not exist that night: it resolves to 02:30 BST.
    expect(local('2026-03-29 01:30', london).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 2026-10-25 01:00 UTC clocks go back from 02:00 BST to 01:00 GMT; 01:30 happens twice.
    expect(local('2026-10-25 01:30', london).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(local('2026-10-25 03:00', london).toISOString()).toBe('2026-10-25T03:00:00.000Z');
    expect(local('2026-10-24 12:00', london).toISOString()).toBe('2026-10-24T11:00:00.000Z');
  });

  it('converts around the New York DST changes', () => {
    // 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
    expect(local('2026-03-07 12:00', newYork).toISOString()).toBe('2026-03-07T17:00:00.000Z');
    expect(local('2026-03-08 12:00', newYork).toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(local('2026-11-01 12:00', newYork).toISOString()).toBe('2026-11-01T17:00:00.000Z');
    expect(localDate(new Date('2026-11-02T03:00:00Z'), newYork)).toBe('2026-11-01');
  });

  it('rejects an unknown zone with a code', () => {
    expect(() => checkTimeZone('Mars/Olympus_Mons')).toThrow(
      expect.objectContaining({ code: 'CALENDAR_INVALID_TIME_ZONE' }),
    );
  });
});

describe('weekly freeze window', () => {
  it('starts at Friday 15:00 and ends at Monday 08:00 local time', () => {
    expect(inWeeklyWindow(local('2026-06-12 14:59', london), weekend, london)).toBe(false);
    expect(inWeeklyWindow(local('2026-06-12 15:00', london), weekend, london)).toBe(true);
    expect(inWeeklyWindow(local('2026-06-14 12:00', london), weekend, london)).toBe(true);
    expect(inWeeklyWindow(local('2026-06-15 07:59', london), weekend, london)).toBe(true);
    expect(inWeeklyWindow(local('2026-06-15 08:00', london), weekend, london)).toBe(false);
    expect(inWeeklyWindow(local('2026-06-16 10:00', london), weekend, london)).toBe(false);
  });

  it('follows local time across DST: the weekend of the October change in London', () => {
    // Friday 2026-10-23 15:00 BST is 14:00 UTC; Monday 2026-10-26 08:00 GMT is 08:00 UTC.
    expect(inWeeklyWindow(new Date('2026-10-23T13:59:00Z'), weekend, london)).toBe(false);
    expect(inWeeklyWindow(new Date('2026-10-23T14:00:00Z'), weekend, london)).toBe(true);
    expect(inWeeklyWindow(new Date('2026-10-26T07:59:00Z'), weekend, london)).toBe(true);
    expect(inWeeklyWindow(new Date('2026-10-26T08:00:00Z'), weekend, london)).toBe(false);
  });

  it('follows local time across DST: the weekend of the March change in New York', () => {
    // Friday 2026-03-06 15:00 EST = 20:00 UTC; Monday 2026-03-09 08:00 EDT = 12:00 UTC.
    expect(inWeeklyWindow(new Date('2026-03-06T19:59:00Z'), weekend, newYork)).toBe(false);
    expect(inWeeklyWindow(new Date('2026-03-06T20:00:00Z'), weekend, newYork)).toBe(true);
    expect(inWeeklyWindow(new Date('2026-03-09T11:59:00Z'), weekend, newYork)).toBe(true);
    expect(inWeeklyWindow(new Date('2026-03-09T12:00:00Z'), weekend, newYork)).toBe(false);
  });
});

const holidays = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//shipguard tests//EN',
  'BEGIN:VEVENT',
  'UID:h1@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20260831',
  'DTEND;VALUE=DATE:20260901',
  'SUMMARY:Summer bank holiday',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:h2@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20201225',
  'RRULE:FREQ=YEARLY',
  'SUMMARY:Christmas Day',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const leave = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//shipguard tests//EN',
  'BEGIN:VEVENT',
  'UID:l1@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20260105',
  'DTEND;VALUE=DATE:20260106',
  'RRULE:FREQ=WEEKLY;BYDAY=MO',
  'SUMMARY:carol - parental leave day',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:l2@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=America/New_York:20260610T090000',
  'DTEND;TZID=America/New_York:20260610T170000',
  'SUMMARY:Offsite',
  'ATTENDEE;CN=Dave:mailto:dave@example.com',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('iCalendar holidays and leave', () => {
  const window = {
    since: new Date('2026-06-01T00:00:00Z'),
    until: new Date('2026-12-31T00:00:00Z'),
    defaultZone: london,
  };

  it('reads all-day holidays and expands a yearly RRULE as local dates', () => {
    const occurrences = parseCalendar(holidays, 'holidays.ics', window);
    expect(
      occurrences.map((item) => (item.kind === 'all-day' ? `${item.startDate} ${item.summary}` : '')),
    ).toEqual(['2026-08-31 Summer bank holiday', '2026-12-25 Christmas Day']);
    // The holiday is the whole local day in London (BST), from 23:00 UTC on the 30th.
    expect(activeHolidays(local('2026-08-31 00:00', london), occurrences, london)).toHaveLength(1);
    expect(activeHolidays(local('2026-08-31 23:59', london), occurrences, london)).toHaveLength(1);
    expect(activeHolidays(local('2026-08-30 23:59', london), occurrences, london)).toHaveLength(0);
    expect(activeHolidays(local('2026-09-01 00:00', london), occurrences, london)).toHaveLength(0);
    // The same all-day event is New York's local day there.
    expect(activeHolidays(new Date('2026-08-31T03:00:00Z'), occurrences, newYork)).toHaveLength(0);
    expect(activeHolidays(new Date('2026-08-31T05:00:00Z'), occurrences, newYork)).toHaveLength(1);
  });

  it('expands a weekly recurring leave and names people by SUMMARY or ATTENDEE', () => {
    const occurrences = parseCalendar(leave, 'leave.ics', window);
    const responders = ['carol', 'dave@example.com', 'erin'];
    // Monday 2026-06-08 10:00 London: carol's recurring Monday leave.
    const monday = responderAvailability(
      local('2026-06-08 10:00', london),
      4,
      responders,
      occurrences,
      london,
    );
    expect(monday.available).toEqual(['dave@example.com', 'erin']);
    expect(monday.onLeave).toEqual([{ person: 'carol', summary: 'carol - parental leave day' }]);
    // Tuesday 10:00 London: nobody away within 4 h; within 30 h Dave's New York offsite starts.
    expect(
      responderAvailability(local('2026-06-09 10:00', london), 4, responders, occurrences, london).available,
    ).toHaveLength(3);
    expect(
      responderAvailability(local('2026-06-09 10:00', london), 30, responders, occurrences, london).available,
    ).toEqual(['carol', 'erin']);
  });

  it('rejects a file that is not iCalendar with a code and the file', () => {
    expect(() => parseCalendar('not a calendar', 'bad.ics', window)).toThrow(
      expect.objectContaining({ code: 'CALENDAR_INVALID', location: { path: 'bad.ics' } }),
    );
  });
});

function calendarOf(...event: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//shipguard tests//EN',
    'BEGIN:VEVENT',
    'UID:r@test',
    'DTSTAMP:20260101T000000Z',
    ...event,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('recurring events far from their start', () => {
  const aroundDecision = (at: Date) => ({
    since: new Date(at.getTime() - 2 * 86_400_000),
    until: new Date(at.getTime() + 48 * 3_600_000),
    defaultZone: london,
  });

  it('finds a daily freeze that started in 2010 at a time inside it in 2026 (past 5,000 occurrences)', () => {
    const daily = calendarOf(
      'DTSTART;TZID=Europe/London:20100104T120000',
      'DTEND;TZID=Europe/London:20100104T140000',
      'RRULE:FREQ=DAILY',
      'SUMMARY:lunchtime change freeze',
    );
    const inside = local('2026-06-10 13:00', london);
    const occurrences = parseCalendar(daily, 'freeze.ics', aroundDecision(inside));
    expect(activeHolidays(inside, occurrences, london).map((item) => item.summary)).toEqual([
      'lunchtime change freeze',
    ]);
    // Wall-clock time is kept across DST: 12:00 London in summer is 11:00 UTC.
    expect(
      occurrences.some((item) => item.kind === 'timed' && item.start === '2026-06-10T11:00:00.000Z'),
    ).toBe(true);
    expect(activeHolidays(local('2026-06-10 14:30', london), occurrences, london)).toEqual([]);
  });

  it('keeps every-other-week BYDAY rules aligned when it starts near the decision time', () => {
    const fortnightly = calendarOf(
      'DTSTART;VALUE=DATE:20100105',
      'DTEND;VALUE=DATE:20100106',
      'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
      'SUMMARY:release freeze',
    );
    // Started near the decision time, the expansion agrees with one from DTSTART (a window from 2010).
    const dates = (occurrences: ReturnType<typeof parseCalendar>, from: string) =>
      occurrences.flatMap((item) =>
        item.kind === 'all-day' && item.startDate >= from ? [item.startDate] : [],
      );
    const slow = parseCalendar(fortnightly, 'f.ics', {
      since: new Date('2010-01-01T00:00:00Z'),
      until: new Date('2026-06-21T00:00:00Z'),
      defaultZone: london,
    });
    const near = parseCalendar(fortnightly, 'f.ics', aroundDecision(local('2026-06-17 12:00', london)));
    expect(dates(near, '2026-06-15')).toEqual(['2026-06-16', '2026-06-18']);
    expect(dates(slow, '2026-06-15')).toEqual(['2026-06-16', '2026-06-18']);
    // The off week has none.
    expect(
      dates(
        parseCalendar(fortnightly, 'f.ics', aroundDecision(local('2026-06-10 12:00', london))),
        '2026-06-08',
      ),
    ).toEqual([]);
  });

  it('refuses an event lasting centuries (a mangled DTSTART) rather than spend seconds per occurrence', () => {
    const mangled = calendarOf(
      'DTSTART;VALUE=DATE:202:20261225',
      'DTEND;VALUE=DATE:20261226',
      'RRULE:FREQ=YEARLY',
      'SUMMARY:leave',
    );
    expect(() =>
      parseCalendar(mangled, 'leave.ics', aroundDecision(new Date('2026-06-10T12:00:00Z'))),
    ).toThrow(
      expect.objectContaining({
        code: 'CALENDAR_INVALID',
        message: expect.stringContaining('lasts 665960 days'),
      }),
    );
    // A year's leave is still read.
    const year = calendarOf('DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20261231', 'SUMMARY:sabbatical');
    expect(parseCalendar(year, 'leave.ics', aroundDecision(new Date('2026-06-10T12:00:00Z')))).toHaveLength(
      1,
    );
  });

  it('turns a malformed property ical.js decodes lazily (SUMMARY typed as a date) into CALENDAR_INVALID', () => {
    const typed = calendarOf('DTSTART;VALUE=DATE:20261225', 'SUMMARY;VALUE=DATE:x');
    expect(() => parseCalendar(typed, 'odd.ics', aroundDecision(new Date('2026-06-10T12:00:00Z')))).toThrow(
      expect.objectContaining({ code: 'CALENDAR_INVALID', location: { path: 'odd.ics' } }),
    );
  });

  it('refuses an event of many RRULEs, and a calendar whose events together need too many steps', () => {
    const at = aroundDecision(new Date('2026-06-10T12:00:00Z'));
    const many = calendarOf(
      'DTSTART;VALUE=DATE:20100101',
      ...Array.from({ length: 5 }, (_, index) => `RRULE:FREQ=YEARLY;BYMONTH=${index + 1}`),
      'SUMMARY:many rules',
    );
    expect(() => parseCalendar(many, 'many.ics', at)).toThrow(
      expect.objectContaining({
        code: 'CALENDAR_INVALID',
        message: expect.stringContaining('has 5 RRULE properties'),
      }),
    );
    // Each event alone fits its own budget (COUNT rules cannot be fast-forwarded); four together do not.
    const slow = (uid: number) => [
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTART:20240615T000000Z',
      'DTEND:20240615T000100Z',
      'RRULE:FREQ=HOURLY;COUNT=1000000',
      `SUMMARY:slow ${uid}`,
      'END:VEVENT',
    ];
    const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...[1, 2, 3, 4].flatMap(slow), 'END:VCALENDAR', ''].join(
      '\n',
    );
    expect(() => parseCalendar(text, 'slow.ics', at)).toThrow(
      expect.objectContaining({
        code: 'CALENDAR_UNBOUNDED',
        message: expect.stringContaining('steps in all'),
      }),
    );
    // One of them alone is read.
    const one = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...slow(1), 'END:VCALENDAR', ''].join('\n');
    expect(parseCalendar(one, 'slow.ics', at).length).toBeGreaterThan(0);
  });

  it('denies (CALENDAR_UNBOUNDED) a rule it cannot expand up to the decision time', () => {
    const counted = calendarOf(
      'DTSTART:20100101T000000Z',
      'DTEND:20100101T000100Z',
      'RRULE:FREQ=MINUTELY;COUNT=9000000',
      'SUMMARY:every minute',
    );
    expect(() =>
      parseCalendar(counted, 'minutes.ics', aroundDecision(new Date('2026-06-10T12:00:00Z'))),
    ).toThrow(expect.objectContaining({ code: 'CALENDAR_UNBOUNDED', location: { path: 'minutes.ics' } }));
    // The same rule without COUNT is fast-forwarded and found.
    const open = calendarOf(
      'DTSTART:20100101T000000Z',
      'DTEND:20100101T000100Z',
      'RRULE:FREQ=MINUTELY;INTERVAL=30',
      'SUMMARY:every half hour',
    );
    const at = new Date('2026-06-10T12:00:30Z');
    expect(activeHolidays(at, parseCalendar(open, 'm.ics', aroundDecision(at)), 'UTC')).toHaveLength(1);
  });
});
