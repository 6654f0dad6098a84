/** Someone named by a commit, a trailer or a forge: any of the three parts may be missing. */
export interface Person {
  name: string;
  email: string;
  /** Forge account name, when a forge said it. */
  login?: string;
}

function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The forge login a GitHub no-reply address stands for (`12345+login@users.noreply.github.com`). */
export function loginFromEmail(email: string): string | undefined {
  const lower = email.toLowerCase();
  const suffix = '@users.noreply.github.com';
  if (!lower.endsWith(suffix)) return undefined;
  const local = lower.slice(0, -suffix.length);
  const plus = local.indexOf('+');
  return plus === -1 ? local : local.slice(plus + 1);
}

/** Two names for the same person: same e-mail, same login, or (lacking both) the same name. */
export function samePerson(a: Person, b: Person): boolean {
  if (a.email !== '' && b.email !== '' && normalise(a.email) === normalise(b.email)) return true;
  const loginA = a.login ?? loginFromEmail(a.email);
  const loginB = b.login ?? loginFromEmail(b.email);
  if (loginA && loginB && normalise(loginA) === normalise(loginB)) return true;
  return a.name !== '' && b.name !== '' && normalise(a.name) === normalise(b.name);
}

/** `Name <email>` or `@login`, for reports. */
export function describePerson(person: Person): string {
  if (person.login) return `@${person.login}`;
  if (person.name && person.email) return `${person.name} <${person.email}>`;
  return person.name || person.email || '(unknown)';
}

/** Committers that are a forge acting for someone: the real merger is not in the commit. */
export function isForgeCommitter(person: Person): boolean {
  const email = person.email.toLowerCase();
  return (
    email === 'noreply@github.com' || email.endsWith('@noreply.gitlab.com') || email === 'noreply@gitlab.com'
  );
}
