/**
 * The freeze calendar: weekly windows in an environment's IANA time zone, holidays and leave from
 * iCalendar files (RFC 5545, through ical.js), and responder availability.
 *
 * Policy data read by the gate (which denies a deploy in a freeze) and by the freeze/respected
 * check (which judges past releases against the same calendar).
 *
 * Wall-clock time in a zone comes from Intl.DateTimeFormat (the platform's tz database), so DST
 * changes are handled by the platform, not by hand-written offset tables. Everything here except
 * `parseCalendar`'s caller reading a file is pure.
 */
import ICAL from 'ical.js';
import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';
import type { GateEnvironment } from './schema.js';

export type CalendarErrorCode =
  /** A time zone the platform does not know. */
  | 'CALENDAR_INVALID_TIME_ZONE'
  /** A holiday or leave calendar that cannot be read or parsed. */
  | 'CALENDAR_INVALID'
  /** A recurring event that cannot be expanded up to the time asked about. */
  | 'CALENDAR_UNBOUNDED';

const calendarErrorKinds: ErrorKinds<CalendarErrorCode> = {
  CALENDAR_INVALID_TIME_ZONE: 'config',
  CALENDAR_INVALID: 'config',
  CALENDAR_UNBOUNDED: 'config',
};

/** The calendar is shared by the gate (which denies on it) and the freeze check (unknown on it). */
export class CalendarError extends errorWithKinds(calendarErrorKinds) {}

export const weekdays = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
export type Weekday = (typeof weekdays)[number];

/** A local wall-clock time in a zone. Months are 1-12, weekday 0 = Sunday. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
      });
    } catch (error) {
      throw new CalendarError(
        'CALENDAR_INVALID_TIME_ZONE',
        `not an IANA time zone: ${timeZone.slice(0, 80)}`,
        {
          cause: error,
        },
      );
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws CALENDAR_INVALID_TIME_ZONE unless the platform knows the zone. */
export function checkTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

const shortDays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall-clock time at `at` in `timeZone`. */
export function wallTime(at: Date, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
    weekday: shortDays[parts['weekday'] ?? ''] ?? 0,
  };
}

function offsetMs(at: number, timeZone: string): number {
  const wall = wallTime(new Date(at), timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks show this wall time. A time skipped by a spring-forward
 * change resolves to the same wall time after the change (e.g. 01:30 → 02:30 in London); a time
 * repeated in autumn resolves to its first occurrence.
 */
export function zonedTimeToUtc(
  wall: Omit<WallTime, 'weekday' | 'second'> & { second?: number },
  timeZone: string,
): Date {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  // The zone's offsets a day either side cover any transition near this wall time.
  const before = guess - offsetMs(guess - 86_400_000, timeZone);
  const candidates = [
    before,
    guess - offsetMs(guess, timeZone),
    guess - offsetMs(guess + 86_400_000, timeZone),
  ];
  const matching = candidates.filter((time) => {
    const seen = wallTime(new Date(time), timeZone);
    return seen.hour === wall.hour && seen.minute === wall.minute && seen.day === wall.day;
  });
  // Repeated in autumn: the first occurrence. Skipped in spring: the offset before the change.
  return new Date(matching.length > 0 ? Math.min(...matching) : before);
}

/** `YYYY-MM-DD` of the wall date at `at` in the zone. */
export function localDate(at: Date, timeZone: string): string {
  const wall = wallTime(at, timeZone);
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A weekly window such as Friday 15:00 to Monday 08:00, in local time. */
export interface WeeklyWindow {
  name: string;
  from: { day: Weekday; time: string };
  to: { day: Weekday; time: string };
}

function minuteOfWeek(day: number, time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return day * 1440 + hours * 60 + minutes;
}

/** Whether the local time at `at` falls in [from, to) of the weekly window (which may wrap the week). */
export function inWeeklyWindow(at: Date, window: WeeklyWindow, timeZone: string): boolean {
  const wall = wallTime(at, timeZone);
  const now = wall.weekday * 1440 + wall.hour * 60 + wall.minute;
  const from = minuteOfWeek(weekdays.indexOf(window.from.day), window.from.time);
  const to = minuteOfWeek(weekdays.indexOf(window.to.day), window.to.time);
  if (from === to) return false;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/**
 * One occurrence of a calendar event. All-day events keep local dates (`YYYY-MM-DD`, end
 * exclusive) because they mean "that day wherever the environment is"; timed events are instants.
 */
export type CalendarOccurrence =
  | { kind: 'all-day'; summary: string; people: string[]; startDate: string; endDate: string }
  | { kind: 'timed'; summary: string; people: string[]; start: string; end: string };

/** Whether an occurrence overlaps [from, to) as seen in `timeZone`. */
export function overlaps(occurrence: CalendarOccurrence, from: Date, to: Date, timeZone: string): boolean {
  if (occurrence.kind === 'timed') {
    return Date.parse(occurrence.start) < to.getTime() && Date.parse(occurrence.end) > from.getTime();
  }
  const start = zonedTimeToUtc({ ...dateParts(occurrence.startDate), hour: 0, minute: 0 }, timeZone);
  const end = zonedTimeToUtc({ ...dateParts(occurrence.endDate), hour: 0, minute: 0 }, timeZone);
  return start.getTime() < to.getTime() && end.getTime() > from.getTime();
}

function dateParts(date: string): { year: number; month: number; day: number } {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  return { year, month, day };
}

/** Holidays active at `at`. */
export function activeHolidays(
  at: Date,
  holidays: readonly CalendarOccurrence[],
  timeZone: string,
): CalendarOccurrence[] {
  const instant = new Date(at.getTime() + 1);
  return holidays.filter((holiday) => overlaps(holiday, at, instant, timeZone));
}

export interface Availability {
  available: string[];
  onLeave: Array<{ person: string; summary: string }>;
}

/**
 * Which responders have no leave overlapping [at, at + hours). A leave event names people by
 * ATTENDEE (CN or e-mail) or, without attendees, by its SUMMARY up to ':' or ' - '.
 */
export function responderAvailability(
  at: Date,
  hours: number,
  responders: readonly string[],
  leave: readonly CalendarOccurrence[],
  timeZone: string,
): Availability {
  const end = new Date(at.getTime() + hours * 3_600_000);
  const result: Availability = { available: [], onLeave: [] };
  for (const responder of responders) {
    const key = responder.trim().toLowerCase();
    const away = leave.find(
      (event) =>
        event.people.some((person) => person.toLowerCase() === key) && overlaps(event, at, end, timeZone),
    );
    if (away) result.onLeave.push({ person: responder, summary: away.summary });
    else result.available.push(responder);
  }
  return result;
}

const maxCalendarBytes = 4 * 1024 * 1024;
/**
 * Steps of one event's expansion before it must have reached the window's end. The expansion
 * starts near the decision time where the rule allows (see `expansionStart`), so this bounds
 * rules that cannot be fast-forwarded (COUNT, several RRULEs) and absurd frequencies.
 */
const maxExpansionSteps = 20_000;

/** Steps of all events' expansions together: a calendar of many slow events is refused too. */
const maxCalendarSteps = 60_000;

/** RRULE properties read per event; each one multiplies the cost of every expansion step. */
const maxRulesPerEvent = 4;

/**
 * Reads an iCalendar text and expands its events (RRULE, RDATE, EXDATE through ical.js) into
 * occurrences that start before `until` and end after `since`. Timed events with a TZID are read
 * as wall time in that zone, floating times in `defaultZone`.
 */
export function parseCalendar(
  text: string,
  path: string,
  window: { since: Date; until: Date; defaultZone: string },
): CalendarOccurrence[] {
  if (text.length > maxCalendarBytes) {
    throw new CalendarError('CALENDAR_INVALID', `${path} is larger than ${maxCalendarBytes} bytes`, {
      location: { path },
    });
  }
  let root: InstanceType<typeof ICAL.Component>;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown as unknown[]);
  } catch (error) {
    throw notICalendar(path, error);
  }
  const occurrences: CalendarOccurrence[] = [];
  let stepsLeft = maxCalendarSteps;
  let events: InstanceType<typeof ICAL.Component>[];
  try {
    // ical.js throws a TypeError (not a parse error) for some inputs, such as an empty text.
    events = root.getAllSubcomponents('vevent');
  } catch (error) {
    throw notICalendar(path, error);
  }
  for (const component of events) {
    let event: InstanceType<typeof ICAL.Event>;
    let tzid: unknown;
    let summary: string;
    let people: string[];
    try {
      event = new ICAL.Event(component);
      tzid = component.getFirstProperty('dtstart')?.getParameter('tzid');
      // ical.js decodes properties lazily and throws plain errors for malformed ones.
      summary = (event.summary ?? '').slice(0, 500);
      people = eventPeople(event, summary);
    } catch (error) {
      throw new CalendarError(
        'CALENDAR_INVALID',
        `${path}: an event could not be read: ${errorText(error)}`,
        {
          cause: error,
          location: { path },
        },
      );
    }
    const zone = typeof tzid === 'string' && tzid !== '' ? tzid : window.defaultZone;
    checkDuration(event, summary, path);
    const toOccurrence = (start: InstanceType<typeof ICAL.Time>, end: InstanceType<typeof ICAL.Time>) =>
      start.isDate
        ? ({
            kind: 'all-day',
            summary,
            people,
            startDate: icalDate(start),
            endDate: icalDate(end.compare(start) > 0 ? end : nextDay(start)),
          } satisfies CalendarOccurrence)
        : ({
            kind: 'timed',
            summary,
            people,
            start: icalInstant(start, zone).toISOString(),
            end: icalInstant(end, zone).toISOString(),
          } satisfies CalendarOccurrence);
    try {
      if (!event.isRecurring()) {
        const occurrence = toOccurrence(event.startDate, event.endDate);
        if (inWindow(occurrence, window)) occurrences.push(occurrence);
        continue;
      }
      const rules = component.getAllProperties('rrule').length;
      if (rules > maxRulesPerEvent) {
        throw new CalendarError(
          'CALENDAR_INVALID',
          `${path}: the recurring event "${summary}" has ${rules} RRULE properties; at most ${maxRulesPerEvent} are read`,
          { location: { path } },
        );
      }
      const start = expansionStart(event, window.since);
      const iterator = start === undefined ? event.iterator() : event.iterator(start);
      let reachedEnd = false;
      const steps = Math.min(maxExpansionSteps, stepsLeft);
      for (let step = 0; step < steps; step++) {
        stepsLeft -= 1;
        const next = iterator.next();
        if (!next) {
          reachedEnd = true;
          break;
        }
        const details = event.getOccurrenceDetails(next);
        const occurrence = toOccurrence(details.startDate, details.endDate);
        if (startsAfter(occurrence, window.until)) {
          reachedEnd = true;
          break;
        }
        if (inWindow(occurrence, window)) occurrences.push(occurrence);
      }
      // An expansion cut short could miss the occurrence in force at the decision time: deny.
      if (!reachedEnd) {
        throw new CalendarError(
          'CALENDAR_UNBOUNDED',
          stepsLeft === 0
            ? `${path}: the calendar's recurring events cannot all be expanded up to ${window.until.toISOString()} within ${maxCalendarSteps} steps in all; split the calendar or give its events later DTSTARTs`
            : `${path}: the recurring event "${summary}" cannot be expanded up to ${window.until.toISOString()} within ${maxExpansionSteps} steps (a COUNT rule or a very frequent one); split it or give it a later DTSTART`,
          { location: { path } },
        );
      }
    } catch (error) {
      if (error instanceof CalendarError) throw error;
      throw new CalendarError(
        'CALENDAR_INVALID',
        `${path}: event "${summary}" could not be read: ${errorText(error)}`,
        {
          cause: error,
          location: { path },
        },
      );
    }
  }
  return occurrences;
}

/**
 * No leave or freeze lasts longer than this. ical.js computes each occurrence's end day by day, so
 * an event of centuries (a mangled DTSTART) would cost seconds per occurrence: it is refused.
 */
const maxEventDays = 400;

function checkDuration(event: InstanceType<typeof ICAL.Event>, summary: string, path: string): void {
  let seconds: number;
  try {
    seconds = event.endDate.toUnixTime() - event.startDate.toUnixTime();
  } catch (error) {
    throw new CalendarError(
      'CALENDAR_INVALID',
      `${path}: event "${summary}" has no readable dates: ${errorText(error)}`,
      {
        cause: error,
        location: { path },
      },
    );
  }
  if (seconds > maxEventDays * 86_400) {
    throw new CalendarError(
      'CALENDAR_INVALID',
      `${path}: event "${summary}" lasts ${Math.round(seconds / 86_400)} days, longer than the ${maxEventDays} any leave or freeze may; check its DTSTART and DTEND`,
      { location: { path } },
    );
  }
}

const stepSeconds: Record<string, number> = {
  SECONDLY: 1,
  MINUTELY: 60,
  HOURLY: 3_600,
  DAILY: 86_400,
  WEEKLY: 604_800,
};

/**
 * Where to start expanding a recurring event so that the window is reached in a few steps: DTSTART
 * moved forward by whole periods (FREQ × INTERVAL) to a little before the window, which keeps
 * every occurrence of the rule where it was. Undefined (expand from DTSTART) for rules whose
 * occurrences depend on the count from DTSTART (COUNT), for several RRULEs, for monthly and
 * yearly rules (few steps anyway), and when DTSTART is already near. The moved start itself is
 * always yielded by ical.js even if the rule would not produce it, so it is placed before the
 * window (with the event's duration and 2 days of slack) where the window filter drops it.
 */
function expansionStart(
  event: InstanceType<typeof ICAL.Event>,
  since: Date,
): InstanceType<typeof ICAL.Time> | undefined {
  const rules = event.component.getAllProperties('rrule');
  if (rules.length !== 1) return undefined;
  const rule = rules[0]?.getFirstValue() as InstanceType<typeof ICAL.Recur> | undefined;
  if (!rule || rule.count) return undefined;
  const base = stepSeconds[rule.freq ?? ''];
  if (base === undefined) return undefined;
  const period = base * (rule.interval || 1);
  const start = event.startDate;
  const duration = Math.max(0, event.endDate.toUnixTime() - start.toUnixTime());
  const target = since.getTime() / 1000 - duration - 2 * 86_400;
  const periods = Math.floor((target - start.toUnixTime()) / period);
  if (periods <= 1) return undefined;
  const moved = start.clone();
  // Whole days for daily and weekly rules, so the wall-clock time stays put across DST changes.
  if (period % 86_400 === 0) moved.adjust((periods * period) / 86_400, 0, 0, 0);
  else moved.adjust(0, 0, 0, periods * period);
  return moved;
}

function eventPeople(event: InstanceType<typeof ICAL.Event>, summary: string): string[] {
  const people: string[] = [];
  for (const attendee of event.attendees) {
    const name = attendee.getParameter('cn');
    if (typeof name === 'string' && name.trim() !== '') people.push(name.trim());
    const value = attendee.getFirstValue();
    if (typeof value === 'string') people.push(value.replace(/^mailto:/i, '').trim());
  }
  if (people.length > 0) return people;
  const cut = [summary.indexOf(':'), summary.indexOf(' - ')].filter((index) => index > 0);
  const name = (cut.length > 0 ? summary.slice(0, Math.min(...cut)) : summary).trim();
  return name === '' ? [] : [name];
}

function icalDate(time: InstanceType<typeof ICAL.Time>): string {
  return `${String(time.year).padStart(4, '0')}-${pad(time.month)}-${pad(time.day)}`;
}

function nextDay(time: InstanceType<typeof ICAL.Time>): InstanceType<typeof ICAL.Time> {
  return time.clone().adjust(1, 0, 0, 0);
}

function icalInstant(time: InstanceType<typeof ICAL.Time>, zone: string): Date {
  const wall = {
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.hour,
    minute: time.minute,
    second: time.second,
  };
  if (time.zone?.tzid === 'UTC') {
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  }
  return zonedTimeToUtc(wall, zone);
}

function occurrenceStart(occurrence: CalendarOccurrence): number {
  return occurrence.kind === 'timed'
    ? Date.parse(occurrence.start)
    : Date.parse(`${occurrence.startDate}T00:00:00Z`) - 14 * 3_600_000;
}

function occurrenceEnd(occurrence: CalendarOccurrence): number {
  return occurrence.kind === 'timed'
    ? Date.parse(occurrence.end)
    : Date.parse(`${occurrence.endDate}T00:00:00Z`) + 14 * 3_600_000;
}

function startsAfter(occurrence: CalendarOccurrence, until: Date): boolean {
  return occurrenceStart(occurrence) > until.getTime();
}

/** Generous by a zone's largest offset for all-day events, so no occurrence near the edge is lost. */
function inWindow(occurrence: CalendarOccurrence, window: { since: Date; until: Date }): boolean {
  return (
    occurrenceStart(occurrence) <= window.until.getTime() &&
    occurrenceEnd(occurrence) >= window.since.getTime()
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}

const defaultProductionFreeze: WeeklyWindow = {
  name: 'weekend freeze (Friday 15:00 to Monday 08:00)',
  from: { day: 'friday', time: '15:00' },
  to: { day: 'monday', time: '08:00' },
};

/**
 * The weekly freezes of an environment: its own, else Friday 15:00-Monday 08:00 for production
 * (by its name or the policy's `productionEnvironments`: the caller says which, with the policy).
 */
export function freezesFor(settings: GateEnvironment, production: boolean): WeeklyWindow[] {
  if (settings.freezes) {
    return settings.freezes.map((freeze) => ({
      name: freeze.name,
      from: parseMoment(freeze.from),
      to: parseMoment(freeze.to),
    }));
  }
  return production ? [defaultProductionFreeze] : [];
}

function parseMoment(text: string): { day: Weekday; time: string } {
  const [day = 'monday', time = '00:00'] = text.split(' ');
  const known = weekdays.find((item) => item === day) ?? 'monday';
  return { day: known, time };
}

function notICalendar(path: string, error: unknown): CalendarError {
  return new CalendarError('CALENDAR_INVALID', `${path} is not a valid iCalendar file: ${errorText(error)}`, {
    cause: error,
    location: { path },
  });
}
