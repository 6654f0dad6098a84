/**
 * What the pages' forms do, apart from HTTP: each takes the store, who acts (their signing key or
 * principal, as the server established it) and the form's fields, and calls the domains, which
 * keep their own rules (signed records on the ledger, separation of duties on changes). The
 * server checks the route's roles and the CSRF token before it calls these.
 */
import {
  type Actor,
  approveChange,
  type ChangeClass,
  type ChangeRecord,
  changeClasses,
  createChange,
  implementChange,
  recordChange,
  requireChange,
} from '../../changes/index.js';
import { getPerson, type Role } from '../../people/index.js';
import type { ChangeSettings } from '../../policy/index.js';
import type { Signer } from '../../provenance/index.js';
import {
  addRecords,
  buildRecord,
  describeEvidence,
  openSignedRecord,
  recordsFromCsv,
  signRecord,
  storeSignerDirectory,
} from '../../records/index.js';
import type { Store } from '../../store/index.js';

/** A form the user filled in wrongly: shown back to them, with what to fix. */
export class FormError extends Error {
  override readonly name = 'FormError';
}

const maxFormText = 64 * 1024;

function field(fields: Readonly<Record<string, string | undefined>>, name: string, required = true): string {
  const value = (fields[name] ?? '').trim();
  if (value.length > maxFormText) throw new FormError(`${name} is longer than ${maxFormText} characters`);
  if (required && value === '') throw new FormError(`${name} is required`);
  return value;
}

/** Signs each record with `signer` and checks the key's roster person holds one of `roles`. */
async function signAs(
  store: Store,
  signer: Signer,
  documents: Parameters<typeof signRecord>[0][],
  roles?: readonly Role[],
) {
  const signed = await Promise.all(documents.map((document) => signRecord(document, signer)));
  if (roles !== undefined && signed[0] !== undefined) {
    const verified = await openSignedRecord(signed[0].envelope, await storeSignerDirectory(store));
    const person = await getPerson(store, verified.signer);
    if (!person?.roles.some((role) => roles.includes(role)))
      throw new FormError(`${verified.signer} does not hold the role ${roles.join(' or ')} on the roster`);
  }
  return signed;
}

/** A file a form uploaded, as the actions read it. */
interface FormUpload {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/** A file's text, or the form's refusal when it is not UTF-8 (a PDF chosen instead of the CSV). */
function utf8Text(fileName: string, content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new FormError(`${fileName} is not UTF-8 text: choose the LMS export (CSV)`);
  }
}

/** HR imports an LMS export: one signed training record per row. */
export async function importTraining(
  store: Store,
  input: { signer: Signer; file: Pick<FormUpload, 'fileName' | 'content'>; now: Date },
): Promise<{ added: number; skipped: number }> {
  const { fileName, content } = input.file;
  const text = utf8Text(fileName, content);
  const documents = recordsFromCsv('training', text, fileName, { now: input.now });
  if (documents.length === 0) throw new FormError(`${fileName} holds no training row`);
  return addRecords(store, await signAs(store, input.signer, documents));
}

/** A pen-test report uploaded with the engagement's facts: one signed pen-test record with the report as evidence. */
export async function uploadPenTest(
  store: Store,
  input: {
    signer: Signer;
    fields: Readonly<Record<string, string | undefined>>;
    report: FormUpload;
    now: Date;
  },
): Promise<string> {
  const { fields } = input;
  const report = describeEvidence(input.report.fileName, input.report.content, input.report.mediaType);
  const findings = field(fields, 'findings', false)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, index) => {
      const [id, severity, ...title] = line.split(';').map((part) => part.trim());
      if (!id || !severity || title.join(';').trim() === '')
        throw new FormError(`findings line ${index + 1}: write ID; severity; title`);
      return { id, severity, title: title.join(';').trim() };
    });
  const document = buildRecord(
    'pen-test',
    {
      effective: field(fields, 'ended'),
      performedBy: field(fields, 'tester'),
      data: {
        engagement: field(fields, 'engagement'),
        tester: field(fields, 'tester'),
        independence: field(fields, 'independence'),
        started: field(fields, 'started'),
        ended: field(fields, 'ended'),
        scope: field(fields, 'scope')
          .split(/[\s,]+/)
          .filter((scope) => scope !== ''),
        report: report.name,
        findings,
      },
    },
    [{ name: report.name, sha256: report.sha256, size: report.size, mediaType: report.mediaType }],
    input.now,
    'pen-test form',
  );
  const [signed] = await signAs(store, input.signer, [document]);
  await addRecords(store, signed ? [signed] : [], [report]);
  return document.id;
}

/**
 * The CTO approves the remediation plan of an engagement: one item per line,
 * `ITEM; FINDING[,FINDING]; owner; due; action`. Signed with the CTO's key (a key whose roster
 * person is not a CTO is refused), ledgered as a remediation-plan record.
 */
export async function approveRemediationPlan(
  store: Store,
  input: { signer: Signer; engagement: string; items: string; now: Date },
): Promise<string> {
  const items = input.items
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, index) => {
      const [id, findings, owner, due, ...action] = line.split(';').map((part) => part.trim());
      if (!id || !findings || !owner || !due || action.join(';').trim() === '')
        throw new FormError(
          `plan line ${index + 1}: write ITEM; FINDING[,FINDING]; owner; due YYYY-MM-DD; action`,
        );
      return {
        id,
        findings: findings.split(',').map((finding) => finding.trim()),
        owner,
        due,
        action: action.join(';').trim(),
        status: 'open',
      };
    });
  if (items.length === 0) throw new FormError('a remediation plan needs at least one item');
  const document = buildRecord(
    'remediation-plan',
    {
      effective: input.now.toISOString().slice(0, 10),
      performedBy: 'cto',
      data: { engagement: input.engagement, items },
    },
    [],
    input.now,
    'remediation plan form',
  );
  await addRecords(store, await signAs(store, input.signer, [document], ['cto']));
  return document.id;
}

/** A change requested from the form, by `author`. */
export async function requestChange(
  store: Store,
  input: {
    author: Actor;
    authorName: string;
    fields: Readonly<Record<string, string | undefined>>;
    settings: ChangeSettings;
    now: Date;
    id: string;
  },
): Promise<ChangeRecord> {
  const className = field(input.fields, 'class');
  if (!(changeClasses as readonly string[]).includes(className))
    throw new FormError(`class must be one of ${changeClasses.join(', ')}`);
  const environment = field(input.fields, 'environment', false);
  const commits = field(input.fields, 'commits', false)
    .split(/\s+/)
    .filter((commit) => commit !== '');
  if (commits.some((commit) => !/^[0-9a-f]{7,64}$/.test(commit)))
    throw new FormError('commits are hexadecimal ids, one per line');
  const change = createChange(
    {
      id: input.id,
      class: className as ChangeClass,
      title: field(input.fields, 'title'),
      author: input.author,
      commits,
      ...(environment === '' ? {} : { environments: [environment] }),
    },
    input.settings,
    input.now,
  );
  await recordChange(store, change, 'created', input.authorName, input.now);
  return change;
}

/** The steps a form moves a change on by, each the domain's transition of that name. */
const changeSteps = { approved: approveChange, implemented: implementChange } as const;

/**
 * Moves change `id` on by `step` as `actor`; the domain refuses what the actor may not do (the
 * author approving: CHANGE_SEPARATION_OF_DUTIES).
 */
export async function advanceChangeAs(
  store: Store,
  step: keyof typeof changeSteps,
  input: { id: string; actor: Actor; actorName: string; settings: ChangeSettings; now: Date },
): Promise<ChangeRecord> {
  const next = changeSteps[step](
    await requireChange(store, input.id),
    input.actor,
    input.settings,
    input.now,
  );
  await recordChange(store, next, step, input.actorName, input.now);
  return next;
}

/** A record entered by hand: kind, date, who performed it, its data as JSON, optional evidence file. */
export async function enterRecord(
  store: Store,
  input: {
    signer: Signer;
    fields: Readonly<Record<string, string | undefined>>;
    evidence?: FormUpload;
    now: Date;
  },
): Promise<string> {
  let data: unknown;
  try {
    data = JSON.parse(field(input.fields, 'data'));
  } catch {
    throw new FormError('data is not valid JSON');
  }
  const evidence = input.evidence
    ? describeEvidence(input.evidence.fileName, input.evidence.content, input.evidence.mediaType)
    : undefined;
  const document = buildRecord(
    field(input.fields, 'kind'),
    { effective: field(input.fields, 'effective'), performedBy: field(input.fields, 'performedBy'), data },
    evidence
      ? [{ name: evidence.name, sha256: evidence.sha256, size: evidence.size, mediaType: evidence.mediaType }]
      : [],
    input.now,
    'record form',
  );
  await addRecords(store, await signAs(store, input.signer, [document]), evidence ? [evidence] : []);
  return document.id;
}
