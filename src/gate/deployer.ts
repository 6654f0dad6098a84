/** Who runs the gate: --deployer, else the CI's actor, else the OS user. */
export function resolveDeployer(
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  osUser: () => string,
): string {
  for (const candidate of [given, env['GITHUB_ACTOR'], env['GITLAB_USER_LOGIN']]) {
    if (candidate !== undefined && candidate.trim() !== '') return candidate.trim().slice(0, 200);
  }
  return osUser();
}
