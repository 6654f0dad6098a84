import { describe, expect, it } from 'vitest';
import { gateEnvironmentSettings, isProductionEnvironment } from './environments.js';
import { GateEnvironment, Policy } from './schema.js';

describe('isProductionEnvironment', () => {
  it.each([
    ['prod', true],
    ['Production', true],
    ['PRD', true],
    ['live', true],
    ['production-eu', true],
    ['eu.prod', true],
    ['prod_2', true],
    ['prod canary', true],
    ['pre-prod', false],
    ['non-production', false],
    ['not_live', false],
    ['preprod', false],
    ['staging', false],
    ['product-demo', false],
    ['prodigy', false],
    ['delivery', false],
    ['', false],
  ])('%s -> %s', (name, expected) => {
    expect(isProductionEnvironment(name)).toBe(expected);
  });

  it('counts the names the policy lists, without case', () => {
    expect(isProductionEnvironment('customer-facing')).toBe(false);
    expect(isProductionEnvironment('Customer-Facing', ['customer-facing'])).toBe(true);
  });
});

describe('gateEnvironmentSettings', () => {
  it('gives a configured environment its settings, any other the defaults, and names no inherited property', () => {
    const policy = Policy.parse({ gate: { environments: { production: { timeZone: 'Europe/London' } } } });
    const defaults = GateEnvironment.parse({});
    expect(gateEnvironmentSettings(policy, 'production')).not.toEqual(defaults);
    for (const name of ['staging', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(gateEnvironmentSettings(policy, name), name).toEqual(defaults);
    }
  });
});
