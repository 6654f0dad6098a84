/**
 * Paths whose changes deserve a code owner's review: CI configuration, ownership rules,
 * authentication and cryptography code, infrastructure. Plain string tests, no regular
 * expressions over attacker-controlled paths.
 */

export type SensitiveCategory = 'ci' | 'ownership' | 'auth' | 'infrastructure';

const authWords = ['auth', 'login', 'session', 'crypto', 'password', 'oauth', 'saml', 'oidc'];
const infrastructureExtensions = ['.tf', '.tfvars', '.hcl', '.bicep'];
const infrastructureFolders = ['k8s/', 'kubernetes/', 'helm/', 'charts/', 'deploy/', 'terraform/', 'infra/'];

export function classifySensitivePath(path: string): SensitiveCategory | undefined {
  const lower = path.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  if (
    lower.startsWith('.github/workflows/') ||
    lower.startsWith('.github/actions/') ||
    name === '.gitlab-ci.yml' ||
    lower.startsWith('.gitlab/ci/') ||
    lower.startsWith('.circleci/') ||
    name === 'jenkinsfile' ||
    name === 'azure-pipelines.yml' ||
    name === 'bitbucket-pipelines.yml' ||
    lower.startsWith('.buildkite/')
  ) {
    return 'ci';
  }
  if (name === 'codeowners') return 'ownership';
  if (
    infrastructureExtensions.some((extension) => name.endsWith(extension)) ||
    name === 'dockerfile' ||
    name.endsWith('.dockerfile') ||
    name.startsWith('dockerfile.') ||
    infrastructureFolders.some((folder) => lower.startsWith(folder) || lower.includes(`/${folder}`))
  ) {
    return 'infrastructure';
  }
  // Test files about auth are not auth code.
  if (lower.includes('test') || lower.includes('spec')) return undefined;
  if (authWords.some((word) => lower.includes(word))) return 'auth';
  return undefined;
}
