import { createHmac } from 'node:crypto';
import { FleetError } from './errors.js';

/**
 * Delivers one JSON event to a webhook, signed so the receiver can tell it came from us and was
 * not replayed: `X-Shipguard-Timestamp` (Unix seconds) and `X-Shipguard-Signature: sha256=<hex>`,
 * the HMAC-SHA-256 with the shared secret of `<timestamp>.<body>`. A receiver recomputes it, compares
 * in constant time and refuses a timestamp more than a few minutes old.
 */
export interface WebhookOptions {
  url: string;
  secret: string;
  now?: () => Date;
  /** Attempts in all (network errors, 429 and 5xx are retried with doubling delays). Default 4. */
  attempts?: number;
  /** The first retry's delay; default 1 s. */
  firstDelayMs?: number;
  timeoutMs?: number;
}

export interface WebhookDelivery {
  status: number;
  attempts: number;
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Only HTTPS leaves the machine: an event names repositories and their vulnerabilities. */
export function checkWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FleetError('FLEET_WEBHOOK_INVALID', `not a URL: ${text}`);
  }
  if (url.username || url.password)
    throw new FleetError(
      'FLEET_WEBHOOK_INVALID',
      'a webhook URL must not carry credentials; use the signing secret',
    );
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && loopbackHosts.has(url.hostname)) return url;
  throw new FleetError(
    'FLEET_WEBHOOK_INVALID',
    `a webhook must use https (http only on loopback): ${url.origin}`,
  );
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

export async function deliverWebhook(event: unknown, options: WebhookOptions): Promise<WebhookDelivery> {
  const url = checkWebhookUrl(options.url);
  if (options.secret.length < 16)
    throw new FleetError('FLEET_WEBHOOK_INVALID', 'the webhook secret must be at least 16 characters');
  const body = JSON.stringify(event);
  const attempts = options.attempts ?? 4;
  let delay = options.firstDelayMs ?? 1000;
  let last = 'no attempt was made';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const timestamp = String(Math.floor((options.now?.() ?? new Date()).getTime() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'shipguard',
          'x-shipguard-timestamp': timestamp,
          'x-shipguard-signature': signWebhook(options.secret, timestamp, body),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { status: response.status, attempts: attempt };
      last = `HTTP ${response.status}`;
      if (!retryable(response.status)) break;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (attempt < attempts) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
  throw new FleetError('FLEET_WEBHOOK_FAILED', `the webhook at ${url.origin} was not delivered: ${last}`);
}
