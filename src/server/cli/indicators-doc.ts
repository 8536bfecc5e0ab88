import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { indicatorsMarkdown } from '../../shared/indicators';

/** npm run docs:indicators: writes docs/indicators.md from the catalogue in src/shared/indicators.ts. */
const target = path.resolve(import.meta.dirname, '../../../docs/indicators.md');
writeFileSync(target, indicatorsMarkdown());
console.log(`Skrev ${path.relative(process.cwd(), target)}`);
