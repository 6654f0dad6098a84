import { z } from 'zod';
import { normaliseName } from './names.js';

/** The roles the secure development policy names: together, its "developers". */
export const developerRoles = [
  'development-team-lead',
  'application-architect',
  'application-developer',
  'software-engineer',
  'project-manager',
  'system-administrator',
  'network-engineer',
  'system-tester',
  'system-owner',
  'information-security-analyst',
  'cloud-security-architect',
] as const;
export type DeveloperRole = (typeof developerRoles)[number];

/** Roles that sign records rather than being covered by them (the CTO's plan, management approval). */
export const officerRoles = ['cto', 'management', 'isms-manager', 'hr'] as const;

export const roles = [...developerRoles, ...officerRoles] as const;
export type Role = (typeof roles)[number];

export const engagements = ['employee', 'contractor', 'third-party'] as const;
export type Engagement = (typeof engagements)[number];

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'not a calendar date',
  );

export const personId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, . _ - (at most 64)');

const email = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@<>]+@[^\s@<>]+$/, 'an e-mail address');

export const Person = z
  .strictObject({
    id: personId,
    name: z.string().max(200).transform(normaliseName).pipe(z.string().min(1)),
    emails: z.array(email).min(1).max(20),
    roles: z.array(z.enum(roles)).max(20).default([]),
    engagement: z.enum(engagements),
    /** The contracting company, for contractors and third parties. */
    organisation: z.string().trim().max(200).optional(),
    start: calendarDate,
    end: calendarDate.optional(),
    /** Further commit identities: e-mail addresses (a forge no-reply address) or names. */
    gitIdentities: z.array(z.string().trim().min(1).max(320)).max(50).default([]),
  })
  .refine((person) => person.end === undefined || person.end >= person.start, {
    message: 'end is before start',
    path: ['end'],
  });
export type Person = z.infer<typeof Person>;

/** Whether the person is engaged on `date` (YYYY-MM-DD): started, and not yet left. */
export function isActiveOn(person: Person, date: string): boolean {
  return person.start <= date && (person.end === undefined || person.end >= date);
}

export function isDeveloper(person: Person): boolean {
  return person.roles.some((role) => (developerRoles as readonly string[]).includes(role));
}
