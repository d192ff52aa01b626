export * from './jurisdiction';
export * from './categories';
export * from './users';
export * from './duty';
export * from './reports';
export * from './idempotency';
