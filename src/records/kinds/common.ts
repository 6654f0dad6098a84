import { z } from 'zod';
import { calendarDate, personId } from '../../people/index.js';

export { calendarDate, personId };
export const text = (max = 2000) => z.string().trim().min(1).max(max);
export const itemId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (at most 64)');
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');
export const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export const controlIds = z
  .array(z.string().regex(/^[A-Z]{2,5}-\d{2,3}$/))
  .min(1)
  .max(200);
