import type { YamlScalar } from '../yaml.js';
import { actionNameOf, githubSteps } from './steps.js';
import { findingOfRule, type PipelineRule, type RuleFinding } from './types.js';

const fullSha = /^[0-9a-f]{40}$/;

/**
 * A real object id or digest: the right length, and not a made-up value such as forty zeros or a
 * repeated pattern (a real hash uses most hex digits; fewer than six distinct ones is a prop).
 */
export function isPlausibleHash(value: string): boolean {
  return new Set(value).size >= 6;
}
const firstPartyOwners = ['actions', 'github'];

export const unpinnedAction: PipelineRule = {
  id: 'pipelines/unpinned-action',
  title: 'An action or reusable workflow is not pinned to a full commit SHA',
  severity: 'high',
  group: 'actions-pinned',
  remediation:
    'Pin every action and reusable workflow to a full 40-character commit SHA, with the version as a comment (`uses: owner/action@<sha> # v4.2.2`), and let Dependabot or Renovate update it.',
  evaluate(set, options) {
    const findings: RuleFinding[] = [];
    const references: { uses: YamlScalar; where: string }[] = [];
    for (const context of githubSteps(set)) {
      if (context.step.uses)
        references.push({
          uses: context.step.uses,
          where: context.job ? `job ${context.job.id}` : context.path,
        });
    }
    for (const workflow of set.workflows) {
      for (const job of workflow.jobs)
        if (job.uses) references.push({ uses: job.uses, where: `job ${job.id}` });
    }
    const trusted = new Set([
      ...firstPartyOwners,
      ...options.trustedActionOwners.map((owner) => owner.toLowerCase()),
    ]);
    for (const { uses, where } of references) {
      const value = uses.text.trim();
      if (value.startsWith('./') || value.startsWith('docker://') || value.includes('${{')) continue;
      const at = value.lastIndexOf('@');
      const ref = at === -1 ? '' : value.slice(at + 1);
      if (fullSha.test(ref) && isPlausibleHash(ref)) continue;
      const owner = actionNameOf(value).split('/')[0] ?? '';
      const firstParty = trusted.has(owner);
      const fake = fullSha.test(ref);
      findings.push(
        findingOfRule(
          this,
          `${where} uses ${value}${ref === '' ? ' without a version' : fake ? ', pinned to a made-up commit id (no real commit has it)' : `, pinned to the mutable ref ${ref}`}.`,
          uses.position,
          value,
          firstParty && !fake ? { severity: 'low' } : {},
        ),
      );
    }
    return findings;
  },
};

/** An image reference is pinned when it names a digest; variables are out of reach. */
export function isPinnedImage(image: string): boolean {
  const digest = /@sha256:([0-9a-f]{64})\b/.exec(image)?.[1];
  return digest !== undefined && isPlausibleHash(digest);
}

export const unpinnedImage: PipelineRule = {
  id: 'pipelines/unpinned-image',
  title: 'A container image is not pinned to a digest',
  severity: 'medium',
  group: 'actions-pinned',
  remediation:
    'Refer to container images by digest (`image: node:24@sha256:…`), so the pipeline runs the image that was reviewed; let a bot update the digest.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    const images: { image: YamlScalar; where: string }[] = [];
    for (const pipeline of set.pipelines) {
      for (const job of pipeline.jobs)
        for (const image of job.images) images.push({ image, where: `job ${job.id}` });
    }
    for (const context of githubSteps(set)) {
      const uses = context.step.uses;
      if (uses?.text.startsWith('docker://'))
        images.push({ image: uses, where: context.job ? `job ${context.job.id}` : context.path });
    }
    for (const action of set.actions)
      if (action.image?.text.startsWith('docker://'))
        images.push({ image: action.image, where: action.path });
    const seen = new Set<string>();
    for (const { image, where } of images) {
      const value = image.text.trim().replace(/^docker:\/\//, '');
      if (value === '' || /\$\{\{|\$[A-Za-z_{]/.test(value) || isPinnedImage(value)) continue;
      const key = `${image.position.path}:${image.position.line}:${image.position.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(
        findingOfRule(
          this,
          `${where} runs the image ${value} by tag, not by digest.`,
          image.position,
          `${where}\0${value}`,
        ),
      );
    }
    return findings;
  },
};
