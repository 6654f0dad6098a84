import type { Catalog } from '../catalog/index.js';
import { developerRoles, isActiveOn, isDeveloper, type Person } from '../people/index.js';
import { kindOf } from './document.js';
import type { RecordSet, SourcedRecord } from './evaluate.js';

/** Something the records say must happen by a date. */
export interface DueItem {
  due: string;
  what: string;
  /** The record it follows from, or the person it is owed by. */
  about: string;
}

const dayMs = 24 * 60 * 60 * 1000;
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

function cadenceOf(catalog: Catalog, kind: string): number | undefined {
  const definition = kindOf(kind);
  const days = catalog.controls
    .filter(
      (control) =>
        control.assessment.record === definition.catalogType && control.assessment.cadenceDays !== undefined,
    )
    .map((control) => control.assessment.cadenceDays as number);
  return days.length > 0 ? Math.min(...days) : definition.defaultCadenceDays;
}

/**
 * Every dated obligation the records create, soonest first: renewals by cadence, training
 * expiry, open remediation items, acknowledgements of the current policy, supplier re-reviews.
 */
export function listDueItems(catalog: Catalog, set: RecordSet, now: Date): DueItem[] {
  const today = now.toISOString().slice(0, 10);
  const items: DueItem[] = [];
  const latest = new Map<string, SourcedRecord>();
  for (const record of [...set.records].sort((a, b) =>
    a.document.effective.localeCompare(b.document.effective),
  )) {
    latest.set(
      `${record.document.kind}\u0000${kindOf(record.document.kind).subject(record.document.data)}`,
      record,
    );
  }
  for (const record of latest.values()) {
    const { kind, id, effective } = record.document;
    const data = record.document.data as Record<string, unknown>;
    if (kind === 'training') {
      const ends = [
        data['expires'] as string | undefined,
        data['trainingKind'] === 'annual-awareness' ? addDays(data['completed'] as string, 365) : undefined,
      ]
        .filter((date): date is string => date !== undefined)
        .sort()[0];
      if (ends)
        items.push({
          due: ends,
          what: `${data['trainingKind']} training of ${data['person']} expires`,
          about: id,
        });
      continue;
    }
    if (kind === 'remediation-plan') {
      for (const item of data['items'] as { id: string; due: string; status: string; owner: string }[]) {
        if (item.status !== 'closed')
          items.push({
            due: item.due,
            what: `remediation ${data['engagement']}/${item.id} (owner ${item.owner})`,
            about: id,
          });
      }
      continue;
    }
    if (kind === 'supplier-review') {
      items.push({
        due: data['nextReview'] as string,
        what: `due diligence of ${data['supplier']}`,
        about: id,
      });
      continue;
    }
    if (kind === 'management-review') {
      items.push({
        due: data['nextDue'] as string,
        what: `management review of the ${data['policy']} policy`,
        about: id,
      });
      continue;
    }
    const cadence = cadenceOf(catalog, kind);
    if (cadence !== undefined)
      items.push({
        due: addDays(effective, cadence),
        what: `${kind} of ${kindOf(kind).subject(record.document.data)} renewal`,
        about: id,
      });
  }
  const versions = set.records.filter((record) => record.document.kind === 'policy-version');
  const currentByPolicy = new Map<string, SourcedRecord>();
  for (const version of versions.sort((a, b) =>
    String((a.document.data as { approved: string }).approved).localeCompare(
      String((b.document.data as { approved: string }).approved),
    ),
  )) {
    currentByPolicy.set((version.document.data as { policy: string }).policy, version);
  }
  for (const [policy, version] of currentByPolicy) {
    const { version: label, acknowledgeBy } = version.document.data as {
      version: string;
      acknowledgeBy: string;
    };
    const acknowledged = new Set(
      set.records
        .filter((record) => record.document.kind === 'policy-acknowledgement')
        .map((record) => record.document.data as { person: string; policy: string; version: string })
        .filter((ack) => ack.policy === policy && ack.version === label)
        .map((ack) => ack.person),
    );
    for (const person of set.people) {
      if (!isActiveOn(person, today) || acknowledged.has(person.id)) continue;
      if (
        policy === 'secure-development'
          ? !(isDeveloper(person) || person.engagement !== 'employee')
          : !isDeveloper(person)
      )
        continue;
      items.push({
        due: [acknowledgeBy, addDays(person.start, 30)].sort().at(-1) ?? acknowledgeBy,
        what: `${person.name} (${person.id}) to acknowledge ${policy} ${label}`,
        about: version.document.id,
      });
    }
  }
  return items.sort((a, b) => a.due.localeCompare(b.due) || a.what.localeCompare(b.what));
}

export interface CoverageGap {
  person: string;
  name: string;
  roles: string[];
  engagement: string;
  lacking: string[];
}

/** Per active developer (and every contractor or third party), what training or acknowledgement they lack. */
export function peopleCoverage(
  set: RecordSet,
  now: Date,
): { byRole: Record<string, CoverageGap[]>; gaps: CoverageGap[]; people: number } {
  const today = now.toISOString().slice(0, 10);
  const training = new Map<string, string>();
  const acknowledged = new Set<string>();
  const versions = set.records.filter(
    (record) =>
      record.document.kind === 'policy-version' &&
      (record.document.data as { policy: string }).policy === 'secure-development',
  );
  const current = versions
    .sort((a, b) =>
      String((a.document.data as { approved: string }).approved).localeCompare(
        String((b.document.data as { approved: string }).approved),
      ),
    )
    .at(-1);
  const currentLabel = current ? (current.document.data as { version: string }).version : undefined;
  for (const record of set.records) {
    const data = record.document.data as Record<string, string>;
    if (record.document.kind === 'training') {
      const ends = [
        data['expires'],
        data['trainingKind'] === 'annual-awareness' ? addDays(data['completed'] as string, 365) : undefined,
      ]
        .filter((date): date is string => date !== undefined)
        .sort()[0];
      if (ends === undefined || ends >= today)
        training.set(`${data['person']}/${data['trainingKind']}`, record.document.id);
    }
    if (
      record.document.kind === 'policy-acknowledgement' &&
      data['policy'] === 'secure-development' &&
      data['version'] === currentLabel
    )
      acknowledged.add(data['person'] as string);
  }
  const inScope = set.people.filter(
    (person) => isActiveOn(person, today) && (isDeveloper(person) || person.engagement !== 'employee'),
  );
  const gaps: CoverageGap[] = [];
  for (const person of inScope) {
    const lacking: string[] = [];
    if (isDeveloper(person)) {
      if (!training.has(`${person.id}/annual-awareness`)) lacking.push('annual awareness training');
      if (!training.has(`${person.id}/secure-coding`)) lacking.push('secure coding training');
    }
    if (currentLabel === undefined) lacking.push('acknowledgement (no policy version recorded)');
    else if (!acknowledged.has(person.id))
      lacking.push(`acknowledgement of secure-development ${currentLabel}`);
    if (lacking.length > 0)
      gaps.push({
        person: person.id,
        name: person.name,
        roles: [...person.roles],
        engagement: person.engagement,
        lacking,
      });
  }
  const byRole: Record<string, CoverageGap[]> = {};
  for (const role of [...developerRoles, 'contractor-or-third-party']) {
    const members = gaps.filter((gap) =>
      role === 'contractor-or-third-party'
        ? gap.engagement !== 'employee' && gap.roles.length === 0
        : gap.roles.includes(role),
    );
    if (members.length > 0) byRole[role] = members;
  }
  return { byRole, gaps, people: inScope.length };
}

export type { Person };
