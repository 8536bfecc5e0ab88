export * from './citizens';
export * from './keyfigures';
export * from './pathway';
export * from './platform';
export * from './portal';
export * from './reference';
export * from './services';
export * from './survey';
