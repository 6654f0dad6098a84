/** The exit codes of every shipguard command (DESIGN.md). */
export const exitCodes = {
  ok: 0,
  /** Findings at or above `--fail-on`, a denied gate, a rejected verification. */
  findings: 1,
  /** Bad usage or configuration: the user can fix it. */
  usage: 2,
  /** Anything else: a bug or an environment failure. */
  internal: 3,
} as const;
