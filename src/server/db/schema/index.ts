export * from './citizens';
export * from './platform';
