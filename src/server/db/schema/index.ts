export * from './citizens';
export * from './pathway';
export * from './platform';
export * from './reference';
export * from './services';
export * from './survey';
