import { z } from 'zod';
import { lifeSituation, PRICE_UNITS, SERVICE_STATUSES } from './pathway';
import { cprSchema } from './schemas';

/**
 * The import format for municipalities moving from another system (issue 5, item 6; docs/import-format.md):
 * NDJSON, one record per line, each with a `type` and a stable `id` from the old system. References between
 * records use those ids. A file is imported all or nothing; importing it again changes nothing.
 */
const externalId = z.string().trim().min(1, 'Skal udfyldes').max(100);
const name = z.string().trim().min(1, 'Skal udfyldes').max(200);
const isoDate = z.iso.date('Ugyldig dato (ÅÅÅÅ-MM-DD)');
const code = z.string().trim().min(1).max(60);

export const citizenRecord = z.object({
  type: z.literal('citizen'),
  id: externalId,
  cpr: cprSchema,
  firstName: name,
  lastName: name,
  /** The responsible unit, by name. */
  unit: name.optional(),
});

export const caseRecord = z.object({
  type: z.literal('case'),
  id: externalId,
  citizen: externalId,
  /** The authority unit, by name. */
  authorityUnit: name,
  reason: z.string().trim().min(1).max(2000),
  openedOn: isoDate,
  closedOn: isoDate.optional(),
  /** KL CareSocialCodes reason for ending (code), required with closedOn. */
  endReason: code.optional(),
});

export const serviceRecord = z.object({
  type: z.literal('service'),
  id: externalId,
  case: externalId,
  /** FFB ydelse, Serviceloven paragraph (e.g. "SEL §85") and FFB target group, as codes. */
  ydelse: code,
  paragraph: code,
  targetGroup: code,
  /** The provider unit, by name. */
  provider: name,
  status: z.enum(SERVICE_STATUSES),
  startOn: isoDate.optional(),
  endOn: isoDate.optional(),
  endReason: code.optional(),
  hoursPerWeek: z.number().min(0).max(168).optional(),
  priceAmount: z.number().min(0).max(10_000_000).optional(),
  priceUnit: z.enum(PRICE_UNITS).optional(),
});

export const followUpRecord = z.object({
  type: z.literal('follow_up'),
  id: externalId,
  service: externalId,
  heldOn: isoDate,
  /** FFB "Status på indsats" code. */
  result: code,
  notes: z.string().max(8000).optional(),
  life: lifeSituation.partial().optional(),
});

export const measureRecord = z.object({
  type: z.literal('measure'),
  id: externalId,
  citizen: externalId,
  /** Instrument key, e.g. "WHO-5". */
  instrument: z.string().min(1).max(20),
  administeredOn: isoDate,
  answers: z.record(z.string().max(10), z.number()),
});

export const importRecord = z.discriminatedUnion('type', [
  citizenRecord,
  caseRecord,
  serviceRecord,
  followUpRecord,
  measureRecord,
]);
export type ImportRecord = z.infer<typeof importRecord>;
export const IMPORT_TYPES = ['citizen', 'case', 'service', 'follow_up', 'measure'] as const;

export const importFileBody = z.object({ ndjson: z.string().min(1).max(50_000_000) });
