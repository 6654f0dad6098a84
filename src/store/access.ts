import { existsSync } from 'node:fs';
import { describeError } from '../kernel/index.js';
import { describeStoreLocation, memoryPath, type StoreLocation } from './location.js';
import { type OpenStoreOptions, openStore, type Store } from './store.js';

/** The store when one exists at the command's location, or a note saying why there is none. */
export interface ExistingStore {
  store?: Store;
  note?: string;
  /** True when there simply is no store (not an error): nothing was ever written there. */
  absent?: boolean;
}

/** What a command hands down: the one store it resolved, opened at most once, shared by every reader. */
export interface StoreAccess {
  /** Where the store is, safe to print (passwords redacted); for an invalid location, why. */
  readonly description: string;
  /** The store if it already exists; reading evidence never creates one. Never throws. */
  existing(): Promise<ExistingStore>;
  /** The store, created (and migrated) if needed: for commands that write. */
  open(): Promise<Store>;
  /**
   * Where collectors may keep caches (parsed lockfiles, clean blobs): the existing store, or a new
   * one when the command will write the store anyway (`cachesMayCreate`), so that the first run
   * already leaves its work for the next. Never throws: a store that cannot be had means no cache.
   */
  forCaches(): Promise<Store | undefined>;
  /** Closes what was opened; safe to call more than once. */
  close(): Promise<void>;
}

export interface StoreAccessOptions {
  /** Run before the store is created at this location (the CLI writes the default folder's .gitignore). */
  beforeCreate?: () => Promise<void>;
  openOptions?: OpenStoreOptions;
  /** The command will write this store (assess without --no-save): caches may create it. */
  cachesMayCreate?: boolean;
}

/** Readers wait a little for a busy store, never long: evidence that cannot be had is `unknown`. */
const readerOpenOptions: OpenStoreOptions = { busyTimeoutMs: 2_000, connectTimeoutMs: 5_000 };

/**
 * One store for one command: the location is resolved once (by the CLI) and every reader and
 * writer below it goes through this handle, so `--db X` means X everywhere. A location that could
 * not be resolved is carried as `invalid`: readers report it, writers throw it.
 */
export function createStoreAccess(
  location: StoreLocation | { invalid: Error } | { none: string },
  options: StoreAccessOptions = {},
): StoreAccess {
  let opened: Promise<Store> | undefined;
  let existing: Promise<ExistingStore> | undefined;
  const description =
    'invalid' in location
      ? describeError(location.invalid)
      : 'none' in location
        ? location.none
        : describeStoreLocation(location);

  function openOnce(openOptions: OpenStoreOptions): Promise<Store> {
    if ('invalid' in location) return Promise.reject(location.invalid);
    if ('none' in location) return Promise.reject(new Error(location.none));
    opened ??= openStore(location, openOptions);
    return opened;
  }

  const access: StoreAccess = {
    description,
    existing() {
      existing ??= (async (): Promise<ExistingStore> => {
        if ('invalid' in location) return { note: `the store location is invalid: ${description}` };
        if ('none' in location) return { note: description, absent: true };
        const absent =
          location.kind === 'sqlite' && location.path !== memoryPath && !existsSync(location.path);
        if (absent && opened === undefined) return { note: `no store at ${description}`, absent: true };
        try {
          return { store: await openOnce(options.openOptions ?? readerOpenOptions) };
        } catch (error) {
          return { note: `the store could not be opened: ${describeError(error)}` };
        }
      })();
      return existing;
    },
    async open() {
      if (opened === undefined && 'kind' in location) await options.beforeCreate?.();
      const store = await openOnce(options.openOptions ?? {});
      // A reader that found no store before may find it now.
      existing = Promise.resolve({ store });
      return store;
    },
    async forCaches() {
      const found = await access.existing();
      if (found.store || !found.absent || !options.cachesMayCreate) return found.store;
      return access.open().catch(() => undefined);
    },
    async close() {
      const pending = opened;
      opened = undefined;
      existing = undefined;
      if (pending === undefined) return;
      const store = await pending.catch(() => undefined);
      await store?.close();
    },
  };
  return access;
}

/** A handle for code run without a store (tests, library callers): every reader sees none. */
export function noStoreAccess(reason = 'no store was given'): StoreAccess {
  return createStoreAccess({ none: reason });
}
