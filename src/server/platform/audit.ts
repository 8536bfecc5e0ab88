import { sql } from 'drizzle-orm';
import type { AuditAction, AuditOutcome, AuditResource } from '../../shared/enums';
import { literal } from '../db/client';
import { auditEvents } from '../db/schema';
import { type Action, type Actor, actingRole, type CitizenActor } from './policy';
import { rowsOf, type Tx } from './tenancy';

export interface AuditContext {
  actor: Actor;
  requestId: string;
  /**
   * In a request's unit of work, rows wait here and are inserted in the same message as its COMMIT: still
   * one transaction with the data they describe, and no data leaves before they are committed.
   */
  pending?: AuditRow[];
}

export type AuditRow = typeof auditEvents.$inferInsert;

export interface AuditEntry {
  action: AuditAction;
  /** The policy action that was exercised; decides the role recorded. */
  policy: Action;
  resourceType: AuditResource;
  resourceId?: string | null;
  citizenId?: string | null;
  criteria?: Record<string, unknown> | null;
  purpose?: string | null;
  caseId?: string | null;
  outcome?: AuditOutcome;
}

/**
 * Writes exactly one audit event in the caller's transaction. If it fails the transaction fails, so no
 * data leaves without its audit record.
 */
export async function audit(tx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  const row: AuditRow = {
    municipalityId: ctx.actor.municipalityId,
    requestId: ctx.requestId,
    actorUserId: ctx.actor.userId,
    actorRole: actingRole(ctx.actor, entry.policy),
    citizenId: entry.citizenId ?? null,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    criteria: entry.criteria ?? null,
    purpose: entry.purpose ?? entry.policy,
    caseId: entry.caseId ?? null,
    outcome: entry.outcome ?? 'success',
  };
  if (ctx.pending) ctx.pending.push(row);
  else await tx.insert(auditEvents).values(row);
}

export interface PortalAuditContext {
  citizen: CitizenActor;
  requestId: string;
  pending: AuditRow[];
}

/** The role recorded for what a citizen does in the portal (Min log shows it as "dig"). */
export const CITIZEN_AUDIT_ROLE = 'borger';
/** The role recorded for what a representative does for the citizen; the representation is in the criteria. */
export const REPRESENTATIVE_AUDIT_ROLE = 'repraesentant';

/**
 * An audit event of a portal request: the citizen is both actor (no staff user) and subject, or a
 * representative acts for them (role 'repraesentant', the representation's id in the criteria). The rows wait
 * with the request's COMMIT like staff events; row-level security lets a citizen write only events about
 * themselves.
 */
export function auditCitizen(ctx: PortalAuditContext, entry: Omit<AuditEntry, 'policy' | 'citizenId'>): void {
  const rep = ctx.citizen.representative;
  ctx.pending.push({
    municipalityId: ctx.citizen.municipalityId,
    requestId: ctx.requestId,
    actorUserId: null,
    actorRole: rep ? REPRESENTATIVE_AUDIT_ROLE : CITIZEN_AUDIT_ROLE,
    citizenId: ctx.citizen.citizenId,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    criteria: rep ? { ...entry.criteria, representationId: rep.representationId } : (entry.criteria ?? null),
    purpose: entry.purpose ?? 'portal',
    caseId: entry.caseId ?? null,
    outcome: entry.outcome ?? 'success',
  });
}

const AUDIT_COLUMNS: [string, keyof AuditRow, string][] = [
  ['municipality_id', 'municipalityId', '::uuid'],
  ['request_id', 'requestId', ''],
  ['actor_user_id', 'actorUserId', '::uuid'],
  ['actor_role', 'actorRole', ''],
  ['citizen_id', 'citizenId', '::uuid'],
  ['action', 'action', ''],
  ['resource_type', 'resourceType', ''],
  ['resource_id', 'resourceId', ''],
  ['criteria', 'criteria', '::jsonb'],
  ['purpose', 'purpose', ''],
  ['case_id', 'caseId', '::uuid'],
  ['outcome', 'outcome', ''],
];

/** The INSERT for pending audit rows, values as escaped literals (it travels with COMMIT, unparameterised). */
export function auditInsertStatement(rows: AuditRow[]): string {
  const value = (v: unknown, cast: string) => {
    if (v === null || v === undefined) return 'NULL';
    return `${literal(typeof v === 'string' ? v : JSON.stringify(v))}${cast}`;
  };
  const tuples = rows.map((r) => `(${AUDIT_COLUMNS.map(([, key, cast]) => value(r[key], cast)).join(', ')})`);
  return `INSERT INTO audit_events (${AUDIT_COLUMNS.map(([c]) => c).join(', ')}) VALUES ${tuples.join(', ')}`;
}

export interface ChainBreak {
  id: string;
  chainId: number;
  chainSeq: number;
  problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';
}

export interface ChainReport {
  checked: number;
  chains: number;
  ok: boolean;
  firstBreak: ChainBreak | null;
}

const ZERO = '0'.repeat(64);

/**
 * Recomputes every audit hash chain of the current tenant and reports the first break: an edited row
 * (its hash no longer matches its content), a removed row (a gap) or a re-linked row (prev_hash).
 */
export async function verifyAuditChain(tx: Tx, batchSize = 5000): Promise<ChainReport> {
  const chains = rowsOf<{ chain_id: number }>(
    await tx.execute(
      sql`select distinct chain_id from audit_events where municipality_id = app_municipality_id() order by 1`,
    ),
  ).map((r) => Number(r.chain_id));
  let checked = 0;
  for (const chainId of chains) {
    let prevHash = ZERO;
    let prevSeq = 0;
    for (;;) {
      const rows = rowsOf<{
        id: string;
        chain_seq: string | number;
        prev_hash: string;
        hash: string;
        recomputed: string;
      }>(
        await tx.execute(sql`
          select e.id, e.chain_seq, e.prev_hash, e.hash, audit_event_digest(e) as recomputed
            from audit_events e
           where e.municipality_id = app_municipality_id() and e.chain_id = ${chainId} and e.chain_seq > ${prevSeq}
           order by e.chain_seq
           limit ${batchSize}`),
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const seq = Number(r.chain_seq);
        const broken = (problem: ChainBreak['problem']): ChainReport => ({
          checked,
          chains: chains.length,
          ok: false,
          firstBreak: { id: r.id, chainId, chainSeq: seq, problem },
        });
        if (seq !== prevSeq + 1) return broken('sequence_gap');
        if (r.prev_hash !== prevHash) return broken('prev_hash_mismatch');
        if (r.recomputed !== r.hash) return broken('hash_mismatch');
        prevHash = r.hash;
        prevSeq = seq;
        checked++;
      }
    }
  }
  return { checked, chains: chains.length, ok: true, firstBreak: null };
}
