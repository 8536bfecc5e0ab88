import { aliasedTable, and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { maskCpr, normalizeCpr } from '../../../shared/cpr';
import type { AuditResource, NarrativeKind } from '../../../shared/enums';
import type {
  CitizenCreate,
  CitizenSearch,
  CitizenUpdate,
  NarrativeSave,
  NetworkCreate,
  NetworkUpdate,
} from '../../../shared/schemas';
import {
  citizenNarratives,
  citizens,
  networkMemberRevisions,
  networkMembers,
  orgUnits,
  services,
  users,
} from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { Problem } from '../../platform/errors';
import { type Action, can, scopeUnits } from '../../platform/policy';
import type { Tx } from '../../platform/tenancy';
import {
  type CitizenRow,
  type NarrativeRow,
  type NetworkRow,
  presentCitizen,
  presentCitizenSummary,
  presentNarrative,
  presentNetworkMember,
} from './citizens.presenter';

const caseworker = aliasedTable(users, 'caseworker');
const author = aliasedTable(users, 'author');

const citizenColumns = {
  id: citizens.id,
  cpr: citizens.cpr,
  firstName: citizens.firstName,
  lastName: citizens.lastName,
  phone: citizens.phone,
  email: citizens.email,
  address: citizens.address,
  postalCode: citizens.postalCode,
  city: citizens.city,
  responsibleCaseworkerId: citizens.responsibleCaseworkerId,
  responsibleCaseworkerName: caseworker.displayName,
  responsibleUnitId: citizens.responsibleUnitId,
  responsibleUnitName: orgUnits.name,
  version: citizens.version,
  createdAt: citizens.createdAt,
  updatedAt: citizens.updatedAt,
};

function citizenQuery(tx: Tx) {
  return tx
    .select(citizenColumns)
    .from(citizens)
    .leftJoin(caseworker, eq(caseworker.id, citizens.responsibleCaseworkerId))
    .leftJoin(orgUnits, eq(orgUnits.id, citizens.responsibleUnitId));
}

type Json<T> = Omit<T, 'createdAt'> & { createdAt: string };

/** The current version of each own-words text, as JSON, for the citizen of the outer query. */
const narrativesJson = sql<Json<NarrativeRow>[]>`coalesce((
  select json_agg(json_build_object('kind', n.kind, 'version', n.version, 'body', n.body, 'writtenBy', n.written_by,
                                    'authorName', a.display_name, 'createdAt', n.created_at))
    from (select distinct on (kind) * from citizen_narratives
           where citizen_id = ${citizens.id} order by kind, version desc) n
    left join users a on a.id = n.author_user_id), '[]'::json)`;

/** The latest revision of each network person, as JSON, for the citizen of the outer query. */
const networkJson = sql<Json<NetworkRow>[]>`coalesce((
  select json_agg(json_build_object('memberId', r.member_id, 'revision', r.revision, 'name', r.name,
                                    'relation', r.relation, 'helpsWith', r.helps_with, 'phone', r.phone,
                                    'contactConsent', r.contact_consent, 'removed', r.removed,
                                    'writtenBy', r.written_by, 'authorName', a.display_name, 'createdAt', r.created_at))
    from (select distinct on (r.member_id) r.* from network_member_revisions r
            join network_members m on m.id = r.member_id
           where m.citizen_id = ${citizens.id} order by r.member_id, r.revision desc) r
    left join users a on a.id = r.author_user_id), '[]'::json)`;

/**
 * Provider units delivering a granted or active service to the citizen: their staff may see the citizen.
 * The outer column is written out: drizzle leaves columns unqualified in single-table selects, and a bare
 * "id" inside the subquery would mean services.id.
 */
const providerUnitIds = sql<string[]>`coalesce((select json_agg(distinct s.provider_unit_id) from services s
  where s.citizen_id = citizens.id and s.status in ('granted','active')), '[]'::json)`;

interface LoadedCitizen {
  row: CitizenRow;
  narratives: NarrativeRow[];
  network: NetworkRow[];
}

const withDate = <T extends { createdAt: string }>(x: T) => ({ ...x, createdAt: new Date(x.createdAt) });

function buildCitizenView(db: Tx) {
  return db
    .select({ ...citizenColumns, narratives: narrativesJson, network: networkJson, providerUnitIds })
    .from(citizens)
    .leftJoin(caseworker, eq(caseworker.id, citizens.responsibleCaseworkerId))
    .leftJoin(orgUnits, eq(orgUnits.id, citizens.responsibleUnitId))
    .where(eq(citizens.id, sql.placeholder('id')))
    .prepare('citizen_view');
}

// Building the query is a noticeable share of a read's CPU; each handle (one per pooled connection) keeps it.
const preparedViews = new WeakMap<Tx, ReturnType<typeof buildCitizenView>>();

/**
 * The SELECT behind every citizen view: the citizen with their own-words texts and network in one query,
 * as a named prepared statement (the server plans it once per connection, not on every read).
 * Exported for bench:api, whose baseline runs exactly this SELECT without the surrounding stack.
 */
export function citizenViewQuery(db: Tx) {
  let q = preparedViews.get(db);
  if (!q) {
    q = buildCitizenView(db);
    preparedViews.set(db, q);
  }
  return q;
}

/** The citizen with their own-words texts and network (one round trip on the hot path). */
async function loadCitizen(tx: Tx, id: string): Promise<LoadedCitizen | null> {
  const [r] = await citizenViewQuery(tx).execute({ id });
  if (!r) return null;
  const { narratives, network, providerUnitIds: providers, ...row } = r;
  return {
    row: { ...row, providerUnitIds: providers },
    narratives: narratives.map(withDate),
    network: network.map(withDate).sort((a, b) => a.name.localeCompare(b.name, 'da')),
  };
}

/**
 * Loads a citizen the actor may act on. Another municipality's citizen is invisible through RLS; one the
 * actor's role does not reach is treated the same way, and both leave a "denied" audit event.
 */
export async function loadCitizenAllowed(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  policy: Action,
  action: 'read' | 'update' | 'delete',
  resourceType: AuditResource = 'citizen',
): Promise<LoadedCitizen | null> {
  const loaded = await loadCitizen(tx, id);
  if (!loaded || !reaches(ctx, policy, loaded.row)) {
    await audit(tx, ctx, { action, policy, resourceType, resourceId: id, citizenId: id, outcome: 'denied' });
    return null;
  }
  return loaded;
}

/** Who a citizen is and which units reach them: what an access check needs. */
const accessColumns = {
  id: citizens.id,
  firstName: citizens.firstName,
  lastName: citizens.lastName,
  responsibleUnitId: citizens.responsibleUnitId,
  providerUnitIds,
};

/** Whether the actor's role reaches the citizen: through the responsible unit or a providing unit. */
const reaches = (
  ctx: AuditContext,
  policy: Action,
  c: { responsibleUnitId: string | null; providerUnitIds?: string[] | null },
) =>
  can(ctx.actor, policy, {
    type: 'citizen',
    unitIds: [c.responsibleUnitId],
    providerUnitIds: c.providerUnitIds ?? [],
  });

function buildCitizenAccess(db: Tx) {
  return db
    .select(accessColumns)
    .from(citizens)
    .where(eq(citizens.id, sql.placeholder('id')))
    .prepare('citizen_access');
}
const preparedAccess = new WeakMap<Tx, ReturnType<typeof buildCitizenAccess>>();

export type CitizenAccess = Awaited<ReturnType<ReturnType<typeof buildCitizenAccess>['execute']>>[number];

/**
 * The access check alone, for pages about a citizen that do not show the record itself (timeline,
 * measures): who the citizen is and which units reach them, in one prepared statement. Denials are audited.
 */
export async function citizenAccessAllowed(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  policy: Action,
  action: 'read' | 'update',
  resourceType: AuditResource,
): Promise<CitizenAccess | null> {
  let q = preparedAccess.get(tx);
  if (!q) {
    q = buildCitizenAccess(tx);
    preparedAccess.set(tx, q);
  }
  const [row] = await q.execute({ id });
  if (!row || !reaches(ctx, policy, row)) {
    await audit(tx, ctx, { action, policy, resourceType, resourceId: id, citizenId: id, outcome: 'denied' });
    return null;
  }
  return row;
}

const narrativeColumns = {
  kind: citizenNarratives.kind,
  version: citizenNarratives.version,
  body: citizenNarratives.body,
  writtenBy: citizenNarratives.writtenBy,
  authorName: author.displayName,
  createdAt: citizenNarratives.createdAt,
};

async function latestNarratives(tx: Tx, citizenId: string): Promise<NarrativeRow[]> {
  return tx
    .selectDistinctOn([citizenNarratives.kind], narrativeColumns)
    .from(citizenNarratives)
    .leftJoin(author, eq(author.id, citizenNarratives.authorUserId))
    .where(eq(citizenNarratives.citizenId, citizenId))
    .orderBy(citizenNarratives.kind, desc(citizenNarratives.version));
}

const revisionColumns = {
  memberId: networkMemberRevisions.memberId,
  revision: networkMemberRevisions.revision,
  name: networkMemberRevisions.name,
  relation: networkMemberRevisions.relation,
  helpsWith: networkMemberRevisions.helpsWith,
  phone: networkMemberRevisions.phone,
  contactConsent: networkMemberRevisions.contactConsent,
  removed: networkMemberRevisions.removed,
  writtenBy: networkMemberRevisions.writtenBy,
  authorName: author.displayName,
  createdAt: networkMemberRevisions.createdAt,
};

async function latestNetwork(tx: Tx, citizenId: string, memberId?: string): Promise<NetworkRow[]> {
  const rows = await tx
    .selectDistinctOn([networkMemberRevisions.memberId], revisionColumns)
    .from(networkMemberRevisions)
    .innerJoin(networkMembers, eq(networkMembers.id, networkMemberRevisions.memberId))
    .leftJoin(author, eq(author.id, networkMemberRevisions.authorUserId))
    .where(
      and(eq(networkMembers.citizenId, citizenId), memberId ? eq(networkMembers.id, memberId) : undefined),
    )
    .orderBy(networkMemberRevisions.memberId, desc(networkMemberRevisions.revision));
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'da'));
}

const view = (ctx: AuditContext, c: LoadedCitizen) =>
  presentCitizen(ctx.actor, c.row, c.narratives, c.network);

/** Reads one citizen with their own-words texts and network; audited. */
export async function readCitizen(tx: Tx, ctx: AuditContext, id: string) {
  const found = await loadCitizenAllowed(tx, ctx, id, 'citizen.read', 'read');
  if (!found) return null;
  await audit(tx, ctx, {
    action: 'read',
    policy: 'citizen.read',
    resourceType: 'citizen',
    resourceId: id,
    citizenId: id,
  });
  return view(ctx, found);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The citizens the actor may search: all of the municipality, or those of their units. */
function searchScope(ctx: AuditContext): SQL | undefined {
  const scope = scopeUnits(ctx.actor, 'citizen.search');
  if (!scope) return undefined;
  return or(
    scope.units.length ? inArray(citizens.responsibleUnitId, scope.units) : sql`false`,
    scope.providerUnits.length
      ? sql`exists (select 1 from ${services} where ${services.citizenId} = ${citizens.id}
              and ${services.status} in ('granted','active') and ${inArray(services.providerUnitId, scope.providerUnits)})`
      : sql`false`,
  );
}

/** Searches by name words, CPR (from a POST body) or "my citizens"; the criteria go into the audit event. */
export async function searchCitizens(tx: Tx, ctx: AuditContext, q: CitizenSearch) {
  const where: (SQL | undefined)[] = [];
  for (const word of (q.name ?? '').split(/\s+/).filter(Boolean).slice(0, 5)) {
    const p = `%${escapeLike(word)}%`;
    where.push(or(ilike(citizens.firstName, p), ilike(citizens.lastName, p)));
  }
  if (q.cpr) where.push(eq(citizens.cpr, q.cpr));
  if (q.mine) where.push(eq(citizens.responsibleCaseworkerId, ctx.actor.userId));
  where.push(searchScope(ctx));
  const rows = await citizenQuery(tx)
    .where(and(...where))
    .orderBy(asc(citizens.lastName), asc(citizens.firstName), asc(citizens.id))
    .limit(q.limit + 1)
    .offset(q.offset);
  const page = rows.slice(0, q.limit);
  await audit(tx, ctx, {
    action: 'search',
    policy: 'citizen.search',
    resourceType: 'citizen',
    criteria: {
      name: q.name || undefined,
      cpr: q.cpr ? maskCpr(q.cpr) : undefined,
      mine: q.mine || undefined,
      offset: q.offset,
      resultCount: page.length,
      resultIds: page.map((r) => r.id),
    },
  });
  return { items: page.map((r) => presentCitizenSummary(ctx.actor, r)), hasMore: rows.length > q.limit };
}

/**
 * The names of those of `ids` the actor may read (the audit log shows a citizen by name only to them); the
 * caller audits the lookup.
 */
export async function readableCitizenNames(
  tx: Tx,
  ctx: AuditContext,
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0 || !can(ctx.actor, 'citizen.read')) return new Map();
  const rows = await tx.select(accessColumns).from(citizens).where(inArray(citizens.id, ids));
  return new Map(
    rows.filter((r) => reaches(ctx, 'citizen.read', r)).map((r) => [r.id, `${r.firstName} ${r.lastName}`]),
  );
}

/**
 * The citizens a name (every word matches the first or last name) or a CPR number points to, among those
 * the actor may search: at most 50, for filtering another list (the audit log) by citizen.
 */
export async function citizenIdsMatching(tx: Tx, ctx: AuditContext, text: string): Promise<string[]> {
  const digits = normalizeCpr(text);
  const cpr = /^[0-9]{10}$/.test(digits) ? digits : null;
  const where: (SQL | undefined)[] = [];
  if (cpr) where.push(eq(citizens.cpr, cpr));
  else
    for (const word of text.split(/\s+/).filter(Boolean).slice(0, 5)) {
      const p = `%${escapeLike(word)}%`;
      where.push(or(ilike(citizens.firstName, p), ilike(citizens.lastName, p)));
    }
  where.push(searchScope(ctx));
  const rows = await tx
    .select({ id: citizens.id })
    .from(citizens)
    .where(and(...where))
    .limit(50);
  return rows.map((r) => r.id);
}

/** Creates a citizen; a CPR already registered in the municipality is a 409. */
export async function createCitizen(tx: Tx, ctx: AuditContext, body: CitizenCreate) {
  const existing = await tx.select({ id: citizens.id }).from(citizens).where(eq(citizens.cpr, body.cpr));
  if (existing.length)
    throw new Problem(409, 'cpr_exists', 'Der findes allerede en borger med dette CPR-nummer.');
  const [created] = await tx
    .insert(citizens)
    .values({
      ...body,
      municipalityId: ctx.actor.municipalityId,
      createdBy: ctx.actor.userId,
      updatedBy: ctx.actor.userId,
    })
    .returning({ id: citizens.id });
  const id = created!.id;
  await audit(tx, ctx, {
    action: 'create',
    policy: 'citizen.create',
    resourceType: 'citizen',
    resourceId: id,
    citizenId: id,
  });
  return view(ctx, (await loadCitizen(tx, id))!);
}

/** Updates the citizen's core data with optimistic concurrency. */
export async function updateCitizen(tx: Tx, ctx: AuditContext, id: string, body: CitizenUpdate) {
  const found = await loadCitizenAllowed(tx, ctx, id, 'citizen.update', 'update');
  if (!found) return { notFound: true } as const;
  const { version, ...fields } = body;
  if (fields.cpr !== found.row.cpr) {
    const clash = await tx.select({ id: citizens.id }).from(citizens).where(eq(citizens.cpr, fields.cpr));
    if (clash.length)
      throw new Problem(409, 'cpr_exists', 'Der findes allerede en borger med dette CPR-nummer.');
  }
  const updated = await tx
    .update(citizens)
    .set({
      ...fields,
      version: sql`${citizens.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: ctx.actor.userId,
    })
    .where(and(eq(citizens.id, id), eq(citizens.version, version)))
    .returning({ id: citizens.id });
  const base = {
    action: 'update',
    policy: 'citizen.update',
    resourceType: 'citizen',
    resourceId: id,
    citizenId: id,
  } as const;
  if (updated.length === 0) {
    await audit(tx, ctx, {
      ...base,
      outcome: 'error',
      criteria: { reason: 'version_conflict', baseVersion: version },
    });
    return { conflict: view(ctx, found) } as const;
  }
  await audit(tx, ctx, base);
  return { ok: view(ctx, (await loadCitizen(tx, id))!) } as const;
}

/** Deletes a citizen registered by mistake (with everything written about them); audited. */
export async function deleteCitizen(tx: Tx, ctx: AuditContext, id: string, version: number) {
  const found = await loadCitizenAllowed(tx, ctx, id, 'citizen.delete', 'delete');
  if (!found) return { notFound: true } as const;
  const base = {
    action: 'delete',
    policy: 'citizen.delete',
    resourceType: 'citizen',
    resourceId: id,
    citizenId: id,
  } as const;
  const deleted = await tx
    .delete(citizens)
    .where(and(eq(citizens.id, id), eq(citizens.version, version)))
    .returning({ id: citizens.id });
  if (deleted.length === 0) {
    await audit(tx, ctx, {
      ...base,
      outcome: 'error',
      criteria: { reason: 'version_conflict', baseVersion: version },
    });
    return { conflict: view(ctx, found) } as const;
  }
  await audit(tx, ctx, base);
  return { ok: true } as const;
}

/** Saves a new version of a text in the citizen's own words; a stale base version is a conflict. */
export async function saveNarrative(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  kind: NarrativeKind,
  body: NarrativeSave,
) {
  const found = await loadCitizenAllowed(
    tx,
    ctx,
    id,
    'citizen.write_own_words',
    'update',
    'citizen_narrative',
  );
  if (!found) return { notFound: true } as const;
  // Lock the citizen row so two writers of the same text queue up instead of racing for a version number.
  await tx.select({ id: citizens.id }).from(citizens).where(eq(citizens.id, id)).for('update');
  const current = (await latestNarratives(tx, id)).find((n) => n.kind === kind) ?? null;
  const base = {
    action: 'update',
    policy: 'citizen.write_own_words',
    resourceType: 'citizen_narrative',
    resourceId: `${id}:${kind}`,
    citizenId: id,
  } as const;
  if ((current?.version ?? 0) !== body.baseVersion) {
    await audit(tx, ctx, {
      ...base,
      outcome: 'error',
      criteria: { reason: 'version_conflict', baseVersion: body.baseVersion },
    });
    return { conflict: current ? presentNarrative(current) : null } as const;
  }
  await tx.insert(citizenNarratives).values({
    municipalityId: ctx.actor.municipalityId,
    citizenId: id,
    kind,
    version: body.baseVersion + 1,
    body: body.body,
    writtenBy: body.writtenBy,
    authorUserId: ctx.actor.userId,
  });
  await audit(tx, ctx, base);
  const saved = (await latestNarratives(tx, id)).find((n) => n.kind === kind)!;
  return { ok: presentNarrative(saved) } as const;
}

/** Every version of one own-words text, newest first. */
export async function narrativeHistory(tx: Tx, ctx: AuditContext, id: string, kind: NarrativeKind) {
  const found = await loadCitizenAllowed(tx, ctx, id, 'citizen.read', 'read', 'citizen_narrative');
  if (!found) return null;
  const versions = await tx
    .select(narrativeColumns)
    .from(citizenNarratives)
    .leftJoin(author, eq(author.id, citizenNarratives.authorUserId))
    .where(and(eq(citizenNarratives.citizenId, id), eq(citizenNarratives.kind, kind)))
    .orderBy(desc(citizenNarratives.version));
  await audit(tx, ctx, {
    action: 'read',
    policy: 'citizen.read',
    resourceType: 'citizen_narrative',
    resourceId: `${id}:${kind}`,
    citizenId: id,
  });
  return versions.map(presentNarrative);
}

/** Adds a person to the citizen's network. */
export async function addNetworkMember(tx: Tx, ctx: AuditContext, id: string, body: NetworkCreate) {
  const found = await loadCitizenAllowed(tx, ctx, id, 'citizen.write_own_words', 'update', 'network_member');
  if (!found) return null;
  const [member] = await tx
    .insert(networkMembers)
    .values({ municipalityId: ctx.actor.municipalityId, citizenId: id })
    .returning({ id: networkMembers.id });
  await tx.insert(networkMemberRevisions).values({
    ...body,
    municipalityId: ctx.actor.municipalityId,
    memberId: member!.id,
    revision: 1,
    authorUserId: ctx.actor.userId,
  });
  await audit(tx, ctx, {
    action: 'create',
    policy: 'citizen.write_own_words',
    resourceType: 'network_member',
    resourceId: member!.id,
    citizenId: id,
  });
  const [saved] = await latestNetwork(tx, id, member!.id);
  return presentNetworkMember(saved!);
}

/** Changes or removes a network person by adding a revision; a stale base revision is a conflict. */
export async function updateNetworkMember(
  tx: Tx,
  ctx: AuditContext,
  id: string,
  memberId: string,
  body: NetworkUpdate,
) {
  const found = await loadCitizenAllowed(tx, ctx, id, 'citizen.write_own_words', 'update', 'network_member');
  if (!found) return { notFound: true } as const;
  await tx.select({ id: citizens.id }).from(citizens).where(eq(citizens.id, id)).for('update');
  const [current] = await latestNetwork(tx, id, memberId);
  const base = {
    action: body.removed ? 'delete' : 'update',
    policy: 'citizen.write_own_words',
    resourceType: 'network_member',
    resourceId: memberId,
    citizenId: id,
  } as const;
  if (!current) {
    await audit(tx, ctx, { ...base, outcome: 'denied' });
    return { notFound: true } as const;
  }
  if (current.revision !== body.baseRevision) {
    await audit(tx, ctx, {
      ...base,
      outcome: 'error',
      criteria: { reason: 'version_conflict', baseRevision: body.baseRevision },
    });
    return { conflict: presentNetworkMember(current) } as const;
  }
  const { baseRevision, ...fields } = body;
  await tx.insert(networkMemberRevisions).values({
    ...fields,
    municipalityId: ctx.actor.municipalityId,
    memberId,
    revision: baseRevision + 1,
    authorUserId: ctx.actor.userId,
  });
  await audit(tx, ctx, base);
  const [saved] = await latestNetwork(tx, id, memberId);
  return { ok: presentNetworkMember(saved!) } as const;
}

/** Every revision of one network person, newest first. */
export async function networkMemberHistory(tx: Tx, ctx: AuditContext, id: string, memberId: string) {
  const found = await loadCitizenAllowed(tx, ctx, id, 'citizen.read', 'read', 'network_member');
  if (!found) return null;
  const revisions = await tx
    .select(revisionColumns)
    .from(networkMemberRevisions)
    .innerJoin(networkMembers, eq(networkMembers.id, networkMemberRevisions.memberId))
    .leftJoin(author, eq(author.id, networkMemberRevisions.authorUserId))
    .where(and(eq(networkMembers.citizenId, id), eq(networkMembers.id, memberId)))
    .orderBy(desc(networkMemberRevisions.revision));
  await audit(tx, ctx, {
    action: 'read',
    policy: 'citizen.read',
    resourceType: 'network_member',
    resourceId: memberId,
    citizenId: id,
    outcome: revisions.length ? 'success' : 'denied',
  });
  return revisions.length ? revisions.map(presentNetworkMember) : null;
}
