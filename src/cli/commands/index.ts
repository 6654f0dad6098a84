import type { RegisterCommand } from '../command.js';

/** Every command, in the order `shipguard --help` lists them. One explicit map. */
export const commands: Readonly<Record<string, RegisterCommand>> = {};
