export { assess } from './engine.js';
export { isExpired, type ProtectedExceptions } from './exceptions.js';
