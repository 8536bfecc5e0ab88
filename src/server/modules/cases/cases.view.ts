import { type AuditContext, audit } from '../../platform/audit';
import type { Tx } from '../../platform/tenancy';
import { caseAssessments } from '../assessments/assessments.service';
import { goalEventsOf, goalsOfCase } from '../goals/goals.service';
import type { CaseView } from './cases.presenter';
import { loadCaseAllowed, phaseHistory } from './cases.service';

/** The whole case as the case page shows it: phases, assessments with their movements, goals with notes. */
export async function readCase(tx: Tx, ctx: AuditContext, id: string): Promise<CaseView | null> {
  const row = await loadCaseAllowed(tx, ctx, id, 'case.read', 'read');
  if (!row) return null;
  const [phases, assessments, goals] = await Promise.all([
    phaseHistory(tx, id),
    caseAssessments(tx, id),
    goalsOfCase(tx, id),
  ]);
  const goalEvents = await goalEventsOf(
    tx,
    goals.map((g) => g.id),
  );
  await audit(tx, ctx, {
    action: 'read',
    policy: 'case.read',
    resourceType: 'case',
    resourceId: id,
    citizenId: row.citizenId,
    caseId: id,
  });
  return { row, phases, assessments, goals, goalEvents };
}
