import { cprBirthDate, formatCpr, maskCpr } from '../../../shared/cpr';
import { type Actor, can } from '../../platform/policy';

export interface CitizenRow {
  id: string;
  cpr: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  responsibleCaseworkerId: string | null;
  responsibleCaseworkerName?: string | null;
  responsibleUnitId: string | null;
  responsibleUnitName?: string | null;
  /** Provider units with a granted or active service for the citizen (decides provider staff's access). */
  providerUnitIds?: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NarrativeRow {
  kind: string;
  version: number;
  body: string;
  writtenBy: string;
  authorName: string | null;
  createdAt: Date;
}

export interface NetworkRow {
  memberId: string;
  revision: number;
  name: string;
  relation: string;
  helpsWith: string;
  phone: string | null;
  contactConsent: string;
  removed: boolean;
  writtenBy: string;
  authorName: string | null;
  createdAt: Date;
}

/** CPR in full only to roles that need it; everyone else sees the birth date part. */
function cprFor(actor: Actor, cpr: string) {
  const full = can(actor, 'citizen.view_cpr');
  return { cpr: full ? formatCpr(cpr) : maskCpr(cpr), cprMasked: !full };
}

export function presentCitizenSummary(actor: Actor, c: CitizenRow) {
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    ...cprFor(actor, c.cpr),
    /** From the CPR number (every role sees the birth date part anyway): for the age on the citizen's page. */
    birthDate: cprBirthDate(c.cpr)?.toISOString().slice(0, 10) ?? null,
    responsibleCaseworker: c.responsibleCaseworkerId
      ? { id: c.responsibleCaseworkerId, name: c.responsibleCaseworkerName ?? null }
      : null,
    responsibleUnit: c.responsibleUnitId
      ? { id: c.responsibleUnitId, name: c.responsibleUnitName ?? null }
      : null,
  };
}

export function presentNarrative(n: NarrativeRow) {
  return {
    version: n.version,
    body: n.body,
    writtenBy: n.writtenBy,
    authorName: n.authorName,
    createdAt: n.createdAt.toISOString(),
  };
}

export function presentNetworkMember(m: NetworkRow) {
  return {
    id: m.memberId,
    revision: m.revision,
    name: m.name,
    relation: m.relation,
    helpsWith: m.helpsWith,
    phone: m.phone,
    contactConsent: m.contactConsent,
    removed: m.removed,
    writtenBy: m.writtenBy,
    authorName: m.authorName,
    updatedAt: m.createdAt.toISOString(),
  };
}

export function presentCitizen(
  actor: Actor,
  c: CitizenRow,
  narratives: NarrativeRow[],
  network: NetworkRow[],
) {
  const byKind = (k: string) => {
    const n = narratives.find((x) => x.kind === k);
    return n ? presentNarrative(n) : null;
  };
  return {
    ...presentCitizenSummary(actor, c),
    phone: c.phone,
    email: c.email,
    address: c.address,
    postalCode: c.postalCode,
    city: c.city,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    narratives: { hopes: byKind('hopes'), resources: byKind('resources') },
    network: network.filter((m) => !m.removed).map(presentNetworkMember),
    permissions: {
      update: can(actor, 'citizen.update'),
      delete: can(actor, 'citizen.delete'),
      writeOwnWords: can(actor, 'citizen.write_own_words', {
        type: 'citizen',
        unitIds: [c.responsibleUnitId],
        providerUnitIds: c.providerUnitIds ?? [],
      }),
    },
  };
}
