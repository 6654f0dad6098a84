import { afterEach } from 'vitest';
import { createStoreAccess, type StoreAccess, type StoreLocation } from '../store/index.js';

/**
 * Creates store accesses, as a command hands them down, that are closed after each test (call at
 * the top of a test file).
 */
export function storeAccesses(): (location: StoreLocation) => StoreAccess {
  const created: StoreAccess[] = [];
  afterEach(async () => {
    for (const access of created.splice(0)) await access.close();
  });
  return (location) => {
    const access = createStoreAccess(location);
    created.push(access);
    return access;
  };
}
