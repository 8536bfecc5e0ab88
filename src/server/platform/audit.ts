import { sql } from 'drizzle-orm';
import type { AuditAction, AuditOutcome } from '../../shared/enums';
import { auditEvents } from '../db/schema';
import { type Action, type Actor, actingRole } from './policy';
import { rowsOf, type Tx } from './tenancy';

export interface AuditContext {
  actor: Actor;
  requestId: string;
}

export interface AuditEntry {
  action: AuditAction;
  /** The policy action that was exercised; decides the role recorded. */
  policy: Action;
  resourceType: string;
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
  await tx.insert(auditEvents).values({
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
  });
}

export interface ChainBreak {
  id: string;
  chainSeq: number;
  problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';
}

export interface ChainReport {
  checked: number;
  ok: boolean;
  firstBreak: ChainBreak | null;
}

const ZERO = '0'.repeat(64);

/** Recomputes the municipality's audit hash chain (in the current tenant) and reports the first break. */
export async function verifyAuditChain(tx: Tx, batchSize = 5000): Promise<ChainReport> {
  let prevHash = ZERO;
  let prevSeq = 0;
  let checked = 0;
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
         where e.municipality_id = app_municipality_id() and e.chain_seq > ${prevSeq}
         order by e.chain_seq
         limit ${batchSize}`),
    );
    if (rows.length === 0) return { checked, ok: true, firstBreak: null };
    for (const r of rows) {
      const seq = Number(r.chain_seq);
      const at = (problem: ChainBreak['problem']) => ({
        checked,
        ok: false,
        firstBreak: { id: r.id, chainSeq: seq, problem },
      });
      if (seq !== prevSeq + 1) return at('sequence_gap');
      if (r.prev_hash !== prevHash) return at('prev_hash_mismatch');
      if (r.recomputed !== r.hash) return at('hash_mismatch');
      prevHash = r.hash;
      prevSeq = seq;
      checked++;
    }
  }
}
