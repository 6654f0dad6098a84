/**
 * Security events: every sign-in, sign-in refusal, sign-out, expired session, denial and role
 * change is logged (pino, JSON) and appended to the ledger, so an auditor can see who did what
 * from the same tamper-evident log as everything else. Nothing secret is in an event: sessions
 * appear as a short prefix of the SHA-256 of their id, tokens never.
 *
 * Anonymous requests without a session are logged but not ledgered (anyone could fill the ledger
 * with them); a refused sign-in is ledgered, because the sign-in routes are rate limited.
 */
import type { FastifyBaseLogger } from 'fastify';
import { appendEvents } from '../ledger/index.js';
import type { Store } from '../store/index.js';

export type SecurityEventType =
  | 'server.signed-in'
  | 'server.sign-in-refused'
  | 'server.signed-out'
  | 'server.session-expired'
  | 'server.sessions-ended'
  | 'server.access-denied';

export interface SecurityEvent {
  type: SecurityEventType;
  data: Record<string, unknown>;
}

export interface Audit {
  /** Logs and ledgers; a ledger failure is logged and rethrown (the request fails closed). */
  record(event: SecurityEvent, log: FastifyBaseLogger): Promise<void>;
}

export function createAudit(store: Store, now: () => Date): Audit {
  return {
    async record(event, log) {
      log.info({ event: event.type, ...event.data }, event.type);
      try {
        await appendEvents(store, [event], { now });
      } catch (error) {
        log.error({ err: error, event: event.type }, 'security event could not be ledgered');
        throw error;
      }
    },
  };
}

/** How an event names a session: enough to correlate, useless to sign in with. */
export function sessionReference(idHash: string): string {
  return idHash.slice(0, 16);
}
