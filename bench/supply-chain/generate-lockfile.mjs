// Writes a realistic npm package-lock.json (lockfileVersion 3) with `count` packages: a few dozen
// direct dependencies, a deep transitive tree, scoped packages, nested duplicates at other
// versions, dev and optional packages, and an SRI integrity hash on each entry.
import { createHash } from 'node:crypto';

function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function generatePackageLock(count = 2500, seed = 42) {
  const next = random(seed);
  const names = [];
  for (let index = 0; index < count; index++) {
    const base = `pkg-${index.toString(36)}-${['core', 'utils', 'parser', 'loader', 'plugin', 'types'][index % 6]}`;
    names.push(index % 9 === 0 ? `@scope${index % 40}/${base}` : base);
  }
  const version = () => `${Math.floor(next() * 12)}.${Math.floor(next() * 30)}.${Math.floor(next() * 20)}`;
  const packages = { '': { name: 'bench-app', version: '1.0.0', dependencies: {}, devDependencies: {} } };
  const entries = [];
  for (const [index, name] of names.entries()) {
    const entry = {
      version: version(),
      resolved: `https://registry.example.invalid/${name}/-/${name.split('/').pop()}.tgz`,
      integrity: `sha512-${createHash('sha512').update(name).digest('base64')}`,
      license: 'MIT',
    };
    if (index % 5 === 0) entry.dev = true;
    if (index % 47 === 0) entry.optional = true;
    const dependencies = {};
    const fanout = Math.floor(next() * 6);
    for (let edge = 0; edge < fanout; edge++) {
      const target = names[Math.min(count - 1, index + 1 + Math.floor(next() * 200))];
      if (target !== name) dependencies[target] = `^${version()}`;
    }
    if (Object.keys(dependencies).length > 0) entry.dependencies = dependencies;
    entries.push([`node_modules/${name}`, entry]);
    if (index < 60)
      packages[''][index % 5 === 0 ? 'devDependencies' : 'dependencies'][name] = `^${entry.version}`;
    // Some packages carry their own copy of a dependency at another version.
    if (index % 25 === 0 && entry.dependencies) {
      const nested = Object.keys(entry.dependencies)[0];
      entries.push([
        `node_modules/${name}/node_modules/${nested}`,
        {
          version: version(),
          integrity: `sha512-${createHash('sha512').update(`${name}/${nested}`).digest('base64')}`,
        },
      ]);
    }
  }
  for (const [path, entry] of entries) packages[path] = entry;
  return { name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}
