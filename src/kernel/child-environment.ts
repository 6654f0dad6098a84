/**
 * The environment of the programs shipguard runs (git, ssh-keygen, gpg). This is the one place
 * below the CLI that touches process.env, and it only passes it on: a child needs PATH, HOME and
 * the signing tools' own variables, and never decides how shipguard judges anything.
 */

/** The user's environment with the C locale, so a child's output parses the same everywhere. */
export function childEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C' };
}

/** git's environment: never prompt (a hostile remote cannot make it wait), take no optional locks. */
export function gitEnvironment(): NodeJS.ProcessEnv {
  return { ...childEnvironment(), GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
}
