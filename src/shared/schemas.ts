import { z } from 'zod';
import { isValidCpr, normalizeCpr } from './cpr';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  AUDIT_RESOURCES,
  CONSENT_SCOPES,
  CONTACT_CONSENT,
  NARRATIVE_KINDS,
  STAFF_ROLES,
  UNIT_KINDS,
  WRITTEN_BY,
} from './enums';
import {
  int,
  isoDate as isoDateField,
  isoDateTime,
  line,
  nullable,
  optionalLine,
  requiredLine,
  requiredText,
  SINGLE_LINE,
  text,
  token,
  uuid as uuidField,
  verbatim,
  version,
  versionParam,
} from './fields';
import { instrumentAnswers } from './pathway';

/** The API contract: request bodies, shared by server validation and the web forms. */

export const uuid = uuidField();
const isoDate = isoDateField();
export const idParams = z.object({ id: uuid });

export const cprSchema = z
  .string()
  .max(20)
  .regex(SINGLE_LINE, 'Ugyldigt CPR-nummer (10 cifre, DDMMÅÅ-XXXX)')
  .transform(normalizeCpr)
  .refine(isValidCpr, { message: 'Ugyldigt CPR-nummer (10 cifre, DDMMÅÅ-XXXX)' });

const phone = line(30)
  .regex(/^[+0-9 ()-]*$/, 'Telefonnummer må kun indeholde tal, mellemrum og + ( ) -')
  .nullish()
  .transform((v) => (v ? v : null));
const email = z
  .union([z.literal(''), z.email('Ugyldig e-mailadresse').max(200)])
  .nullish()
  .transform((v) => (v ? v : null));

// ---------- auth ----------
export const loginBody = z.object({
  username: requiredLine(100),
  // A password is whatever the person typed, spaces included, but never a control character.
  password: z.string().min(1).max(200).regex(SINGLE_LINE),
});

// ---------- citizens ----------
export const citizenFields = {
  firstName: requiredLine(100),
  lastName: requiredLine(100),
  phone,
  email,
  address: optionalLine(200),
  postalCode: line(4)
    .regex(/^(\d{4})?$/, 'Postnummer er fire cifre')
    .nullish()
    .transform((v) => (v ? v : null)),
  city: optionalLine(100),
  responsibleCaseworkerId: uuid.nullish().transform((v) => v ?? null),
  responsibleUnitId: uuid.nullish().transform((v) => v ?? null),
};

export const citizenCreateBody = z.object({ cpr: cprSchema, ...citizenFields });
export type CitizenCreate = z.infer<typeof citizenCreateBody>;

export const citizenUpdateBody = z.object({
  cpr: cprSchema,
  ...citizenFields,
  version: version(),
});
export type CitizenUpdate = z.infer<typeof citizenUpdateBody>;

export const citizenSearchBody = z
  .object({
    name: line(100).optional(),
    cpr: cprSchema.optional(),
    mine: z.boolean().optional(),
    limit: int(1, 100).default(50),
    offset: int(0, 10000).default(0),
  })
  .refine((b) => (b.name && b.name.length > 0) || b.cpr || b.mine, {
    message: 'Angiv navn, CPR-nummer eller "mine borgere"',
    path: ['name'],
  });
export type CitizenSearch = z.infer<typeof citizenSearchBody>;

export const deleteQuery = z.object({ version: versionParam() });

export const narrativeKind = z.enum(NARRATIVE_KINDS);
export const narrativeParams = z.object({ id: uuid, kind: narrativeKind });
export const narrativeBody = z.object({
  body: verbatim(10000),
  writtenBy: z.enum(WRITTEN_BY),
  /** The version the writer started from; 0 when there was none. */
  baseVersion: int(0, 2_147_483_647),
});
export type NarrativeSave = z.infer<typeof narrativeBody>;

export const networkMemberFields = {
  name: requiredLine(200),
  relation: requiredLine(100),
  helpsWith: text(2000).default(''),
  phone,
  contactConsent: z.enum(CONTACT_CONSENT),
  writtenBy: z.enum(WRITTEN_BY),
};
export const networkCreateBody = z.object(networkMemberFields);
export const networkUpdateBody = z.object({
  ...networkMemberFields,
  removed: z.boolean().default(false),
  baseRevision: version(),
});
export type NetworkCreate = z.infer<typeof networkCreateBody>;
export type NetworkUpdate = z.infer<typeof networkUpdateBody>;
export const networkParams = z.object({ id: uuid, memberId: uuid });

// ---------- administration ----------
export const unitBody = z.object({
  name: requiredLine(200),
  kind: z.enum(UNIT_KINDS),
  parentId: uuid.nullish().transform((v) => v ?? null),
  providerType: optionalLine(100),
});
export const unitUpdateBody = unitBody.extend({ active: z.boolean(), version: version() });

export const roleGrantBody = z.object({ role: z.enum(STAFF_ROLES), unitId: uuid });

export const passwordSchema = z
  .string()
  .min(12, 'Adgangskoden skal være mindst 12 tegn')
  .max(200)
  .regex(SINGLE_LINE, 'Adgangskoden må ikke indeholde kontroltegn');

export const userCreateBody = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .max(60)
    .regex(/^[a-z0-9._-]{3,60}$/, 'Brugernavn: 3-60 tegn, a-z, 0-9, punktum, bindestreg eller understreg'),
  displayName: requiredLine(200),
  email,
  password: passwordSchema,
  roles: z.array(roleGrantBody).max(50).default([]),
});
export const userUpdateBody = z.object({
  displayName: requiredLine(200),
  email,
  active: z.boolean(),
  version: version(),
});
export const passwordBody = z.object({ password: passwordSchema });
export const assignmentParams = z.object({ id: uuid, assignmentId: uuid });

// ---------- audit ----------
export const auditSearchBody = z.object({
  from: isoDateTime().optional(),
  to: isoDateTime().optional(),
  actorUserId: uuid.optional(),
  citizenId: uuid.optional(),
  /** A citizen by name words or CPR number, for those who may search citizens (the manager). */
  citizen: line(100).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  resourceType: z.enum(AUDIT_RESOURCES).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  order: z.enum(['newest', 'oldest']).default('newest'),
  limit: int(1, 200).default(50),
  /** The cursor of the last row seen, in the chosen order: "<time>|<id>". */
  before: z
    .string()
    .max(80)
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\|[0-9a-f-]{36}$/)
    .optional(),
});
export type AuditSearch = z.infer<typeof auditSearchBody>;

// ---------- the citizen portal (issue 14) ----------
/** A municipality's code (three digits; the national agency's and test tenants' are of the same shape). */
export const municipalityCode = token(/^[0-9]{3,4}$/, 'Ugyldig kommunekode', 4);
/** Where the portal sends the citizen after login: a path of the portal, never another site. */
export const portalPath = token(/^\/portal(\/[a-z0-9/-]{0,80})?$/, 'Ugyldig adresse', 90);

export const portalLoginQuery = z.object({
  kommune: municipalityCode,
  tilbage: portalPath.optional(),
});

/** What the broker sends back (RFC 6749 §4.1.2, RFC 9207); openid-client checks the values. */
export const portalCallbackQuery = z.object({
  code: line(2000).optional(),
  state: line(500).optional(),
  iss: line(500).optional(),
  error: line(200).optional(),
  error_description: line(1000).optional(),
});

/** After MitID, whom to act for: 'self', or a representation's id. */
export const portalChooseBody = z.object({ option: z.union([z.literal('self'), uuid]) });

/** Min Retning's settings, chosen by the municipality's administrator. */
export const portalSettingsBody = z.object({ showStaffNames: z.boolean() });
export type PortalSettings = z.infer<typeof portalSettingsBody>;

/** Mine mål: a new goal (goalId null) or a change to one of my goals, in my own words. */
export const portalGoalProposalBody = z.object({
  caseId: uuid,
  goalId: nullable(uuid),
  /** It becomes the goal's title when accepted, so it is as long as a goal's title may be. */
  words: requiredText(500),
});
export type PortalGoalProposal = z.infer<typeof portalGoalProposalBody>;
/** The caseworker accepts, with an optional line on what happens next. */
export const proposalAcceptBody = z.object({ answer: text(2000).default('') });
export type ProposalAccept = z.infer<typeof proposalAcceptBody>;
/** The caseworker answers without accepting. */
export const proposalAnswerBody = z.object({ answer: requiredText(2000) });
export type ProposalAnswer = z.infer<typeof proposalAnswerBody>;
export const worklistScopeQuery = z.object({ scope: z.enum(['mine', 'units']).default('mine') });

/** A new message thread: to whom (a unit on one of my cases), about what, and the first message. */
export const messageCreateBody = z.object({
  caseId: uuid,
  unitId: uuid,
  subject: requiredLine(200),
  body: requiredText(5000),
});
export type MessageCreate = z.infer<typeof messageCreateBody>;
/** Staff write first, on one of the citizen's cases; the unit is the writer's own unit on that case. */
export const staffMessageCreateBody = messageCreateBody.omit({ unitId: true });
export type StaffMessageCreate = z.infer<typeof staffMessageCreateBody>;
export const messageReplyBody = z.object({ body: requiredText(5000) });
export type MessageReply = z.infer<typeof messageReplyBody>;
export const inboxQuery = z.object({ unitId: uuid.optional() });

/** What a representative may do for the citizen: read always; write (Mine ord, Mine mål); messages. */
export const REPRESENTATION_SCOPES = ['read', 'write', 'messages'] as const;
/** Access for a relative or representative, given by the citizen in the portal (item 9). */
export const portalRepresentationBody = z.object({
  name: requiredLine(200),
  cpr: cprSchema,
  relation: line(100).default(''),
  scopes: z
    .array(z.enum(REPRESENTATION_SCOPES))
    .max(3)
    .transform((s) => [...new Set<(typeof REPRESENTATION_SCOPES)[number]>(['read', ...s])]),
  validUntil: isoDate,
});
export type PortalRepresentationGive = z.infer<typeof portalRepresentationBody>;
/** A digital power of attorney (fuldmagt) recorded by staff, from the date it was given. */
export const staffRepresentationBody = portalRepresentationBody.extend({ givenOn: isoDate });
export type StaffRepresentationRecord = z.infer<typeof staffRepresentationBody>;
export const citizenRepresentationParams = z.object({ id: uuid, representationId: uuid });

export const portalWordsParams = z.object({ kind: narrativeKind });
/** Mine ord: what the citizen writes is saved exactly as written, always as written by the citizen. */
export const portalWordsBody = z.object({
  body: verbatim(10000),
  /** The version the citizen started from; 0 when there was none. */
  baseVersion: int(0, 2_147_483_647),
});
export type PortalWordsSave = z.infer<typeof portalWordsBody>;

// ---------- consents (issue 14) ----------
const consentScopes = z
  .array(z.enum(CONSENT_SCOPES))
  .min(1)
  .max(4)
  .refine((a) => new Set(a).size === a.length, {
    message: 'Vælg hvert område én gang',
  });
const lifeAreas = z.array(token(/^[A-Za-z0-9._-]{1,40}$/, 'Ugyldigt livsområde', 40)).max(20);
/** What the citizen gives in the portal: to whom, what, for what, until when (from today). */
export const portalConsentBody = z.object({
  partnerUnitId: uuid,
  scopes: consentScopes,
  lifeAreas: lifeAreas.default([]),
  purpose: requiredLine(300),
  validUntil: isoDate,
});
export type PortalConsentGive = z.infer<typeof portalConsentBody>;
/** Narrowing: less, or shorter; never more. */
export const portalConsentNarrowBody = z.object({
  scopes: consentScopes,
  lifeAreas: lifeAreas.default([]),
  validUntil: isoDate,
});
export type PortalConsentNarrow = z.infer<typeof portalConsentNarrowBody>;
/** A consent given on paper, at a meeting or by phone, recorded by staff with the date and how. */
export const staffConsentBody = portalConsentBody.extend({
  givenHow: z.enum(['paper', 'meeting', 'phone']),
  givenOn: isoDate,
});
export type StaffConsentRecord = z.infer<typeof staffConsentBody>;
export const consentParams = z.object({ id: uuid });
export const citizenConsentParams = z.object({ id: uuid, consentId: uuid });

// ---------- Før opfølgningen (issue 14) ----------
/** What the citizen wants to talk about, and their own GAS level (−2…2) for each of their goals. */
export const portalPreparationBody = z.object({
  topics: text(4000),
  ratings: z.record(uuid, int(-2, 2)).refine((r) => Object.keys(r).length <= 50, { message: 'Højst 50 mål' }),
  /** The version the citizen started from; 0 when there was none. */
  baseVersion: int(0, 2_147_483_647),
});
export type PortalPreparationSave = z.infer<typeof portalPreparationBody>;
/** A questionnaire the citizen fills in on their own device (WHO-5, or ORS where licensed). */
export const portalMeasurementBody = z.object({
  instrumentKey: token(/^[A-Za-z0-9-]{1,20}$/, 'Ukendt måleredskab', 20),
  answers: instrumentAnswers,
});
export type PortalMeasurementCreate = z.infer<typeof portalMeasurementBody>;

// ---------- "Det her forstår jeg ikke" (issue 14) ----------
export const portalLogQuestionParams = z.object({ eventId: uuid });
export const portalLogQuestionBody = z.object({ question: text(1000) });
export const logAnswerBody = z.object({ answer: requiredText(2000) });
