export { assess } from './engine.js';
export { isExpired } from './exceptions.js';
