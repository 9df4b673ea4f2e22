/** Every table of the product, for Drizzle's typed queries and for drizzle-kit's migration generation. */
export * from './core-schema.js';
export * from '../../modules/org/schema.js';
export * from '../../modules/calendars/schema.js';
export * from '../../modules/clocks/schema.js';
export * from '../../modules/commitments/schema.js';
export * from '../../modules/requests/schema.js';
export * from '../../modules/channels/schema.js';
export * from '../../modules/evaluations/schema.js';
export * from '../../modules/corrective-actions/schema.js';
export * from './config-schema.js';
export * from '../../modules/figures/schema.js';
export * from '../../modules/reports/schema.js';
