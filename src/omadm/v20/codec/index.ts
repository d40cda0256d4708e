export * from './commands.js';
export * from './decode-error.js';
export * from './decode-initiation.js';
export * from './decode-response.js';
export * from './limits.js';
export * from './media-types.js';
export * from './model.js';
export { parseBoundedJson } from './bounded-json.js';
