/**
 * `--upload URL`: posting a report to `shipguard serve` from CI. The credential is an API token
 * from SHIPGUARD_TOKEN or a CI workload's OIDC ID token (`--id-token FILE|-`); it is sent only
 * over https (or plain http to a loopback address, for a local server), never to a redirect.
 * A failed upload is an error naming why, so the CI step fails.
 */
import type { Command } from 'commander';
import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';
import { UsageError } from './errors.js';
import { readIdToken } from './id-token.js';
import { writeDiagnostic } from './output.js';

export type UploadErrorCode =
  /** The server answered with a refusal (401, 403, 413, 415, 422, …). */
  | 'UPLOAD_REFUSED'
  /** The server could not be reached, or failed (5xx). */
  | 'UPLOAD_FAILED';

const uploadErrorKinds: ErrorKinds<UploadErrorCode> = {
  UPLOAD_REFUSED: 'rejected',
  UPLOAD_FAILED: 'internal',
};

export class UploadError extends errorWithKinds(uploadErrorKinds) {}

export interface UploadOptions {
  upload?: string;
  idToken?: string;
  uploadRepository?: string;
}

/** Adds --upload, --id-token and --upload-repository to a command. */
export function addUploadOptions(command: Command, what: string): Command {
  return command
    .option('--upload <url>', `post the ${what} to shipguard serve at this URL (https, or http on loopback)`)
    .option(
      '--id-token <file>',
      "with --upload: authenticate with this CI workload OIDC ID token ('-' for stdin) instead of $SHIPGUARD_TOKEN",
    )
    .option(
      '--upload-repository <key>',
      "with --upload: the repository key to upload for (default: the folder's remote; a CI identity's own)",
    );
}

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The server's base URL, refused unless https or loopback http; no credentials, query or fragment. */
export function checkUploadUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('USAGE_INVALID_OPTION', `--upload: ${text.slice(0, 200)} is not a URL`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      '--upload: give the server URL only (no credentials, query or fragment)',
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHosts.has(url.hostname))) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `--upload: ${url.origin} is not https; the token would travel in clear (plain http only to a loopback address)`,
    );
  }
  return url;
}

/** The bearer credential: the CI identity token when --id-token is given, else SHIPGUARD_TOKEN. */
export async function uploadCredential(
  options: UploadOptions,
  environment: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  if (options.idToken !== undefined) return readIdToken(options.idToken);
  const token = environment['SHIPGUARD_TOKEN']?.trim();
  if (!token) {
    throw new UsageError(
      'USAGE_MISSING_ARGUMENT',
      '--upload needs a credential: set SHIPGUARD_TOKEN (an API token) or pass --id-token (a CI OIDC ID token)',
    );
  }
  return token;
}

const maxAnswerBytes = 64 * 1024;

/** Posts `body` to `endpoint` under the server URL; returns the server's JSON answer. */
export async function uploadDocument(input: {
  server: URL;
  endpoint: string;
  body: string;
  mediaType: string;
  credential: string;
  repository?: string;
  timeoutMs?: number;
}): Promise<Record<string, unknown>> {
  const target = new URL(`${input.server.pathname.replace(/\/$/, '')}${input.endpoint}`, input.server);
  if (input.repository !== undefined) target.searchParams.set('repository', input.repository);
  let response: Response;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers: { authorization: `Bearer ${input.credential}`, 'content-type': input.mediaType },
      body: input.body,
      // A redirect would carry the credential elsewhere: refuse it.
      redirect: 'error',
      signal: AbortSignal.timeout(input.timeoutMs ?? 60_000),
    });
  } catch (error) {
    throw new UploadError(
      'UPLOAD_FAILED',
      `cannot upload to ${target.origin}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  const text = (await response.text()).slice(0, maxAnswerBytes);
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    answer = {};
  }
  if (!response.ok) {
    const why = typeof answer['message'] === 'string' ? answer['message'] : text.slice(0, 200);
    const code = typeof answer['error'] === 'string' ? `${answer['error']}: ` : '';
    throw new UploadError(
      response.status >= 500 ? 'UPLOAD_FAILED' : 'UPLOAD_REFUSED',
      `the server at ${target.origin} refused the upload (${response.status}): ${code}${why}`,
    );
  }
  return answer;
}

/** Uploads when --upload was given, and says where it went. */
export async function uploadIfAsked(
  options: UploadOptions,
  document: { endpoint: string; body: string; mediaType: string; repository?: string; what: string },
  environment: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  if (options.upload === undefined) return;
  const server = checkUploadUrl(options.upload);
  const credential = await uploadCredential(options, environment);
  const repository = options.uploadRepository ?? document.repository;
  const answer = await uploadDocument({
    server,
    endpoint: document.endpoint,
    body: document.body,
    mediaType: document.mediaType,
    credential,
    ...(repository === undefined ? {} : { repository }),
  });
  const ledger =
    typeof answer['ledgerIndex'] === 'number' && answer['ledgerIndex'] >= 0
      ? `, ledger entry ${answer['ledgerIndex']}`
      : '';
  writeDiagnostic(
    `uploaded the ${document.what} to ${server.origin} for ${String(answer['repository'] ?? repository ?? '?')}${answer['alreadyRecorded'] === true ? ' (already recorded)' : ''}${ledger}`,
  );
}
