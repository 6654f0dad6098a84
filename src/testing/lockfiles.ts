/** A package-lock.json that locks lodash 4.17.20, which the advisory fixtures' lodash advisory affects. */
export const lodashLockfile = JSON.stringify(
  {
    lockfileVersion: 3,
    packages: { '': { dependencies: { lodash: '^4' } }, 'node_modules/lodash': { version: '4.17.20' } },
  },
  null,
  2,
);
