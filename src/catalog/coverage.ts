import {
  compareItemIds,
  type Framework,
  frameworkItems,
  frameworkNames,
  requiredItems,
} from './frameworks.js';
import type { Catalog } from './schema.js';

export interface FrameworkItemCoverage {
  /** The framework's own id: `8.25`, `PW.7.2`, `goal-3`. */
  id: string;
  /** Its short name; empty when shipguard does not know the item (a test keeps that from happening). */
  title: string;
  /** Ids of the controls mapping to it, in catalog order. */
  controls: string[];
}

export interface FrameworkCoverage {
  framework: Framework;
  name: string;
  /** Every item at least one control maps to, in the framework's own order. */
  items: FrameworkItemCoverage[];
  /** Required items no control maps to. */
  gaps: { id: string; title: string }[];
}

/** Which controls serve each item of a framework, and which required items none serves. Pure. */
export function frameworkCoverage(catalog: Catalog, framework: Framework): FrameworkCoverage {
  const byItem = controlsByItem(catalog, framework);
  const known = frameworkItems(framework);
  const items = [...byItem.keys()]
    .sort(compareItemIds)
    .map((id) => ({ id, title: known[id] ?? '', controls: byItem.get(id) ?? [] }));
  const gaps = requiredItems(framework)
    .filter((id) => !byItem.has(id))
    .map((id) => ({ id, title: known[id] ?? '' }));
  return { framework, name: frameworkNames[framework], items, gaps };
}

function controlsByItem(catalog: Catalog, framework: Framework): Map<string, string[]> {
  const byItem = new Map<string, string[]>();
  for (const control of catalog.controls) {
    for (const item of new Set(control.mappings[framework])) {
      const controls = byItem.get(item);
      if (controls) controls.push(control.id);
      else byItem.set(item, [control.id]);
    }
  }
  return byItem;
}
