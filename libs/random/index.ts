/** The project's one seeded PRNG: plain TypeScript, no dependencies. */
export { mulberry32 } from './mulberry32.js';
