import { type AuditContext, audit } from '../../platform/audit';
import { unitsWithRole } from '../../platform/policy';
import type { Tx } from '../../platform/tenancy';
import { caseAssessments } from '../assessments/assessments.service';
import { linksOfGoals } from '../community/community.service';
import { goalEventsOf, goalsOfCase } from '../goals/goals.service';
import { servicesWithGoals as servicesOfCase } from '../services/services.service';
import type { CaseView } from './cases.presenter';
import { loadCaseAllowed, phaseHistory, readsAsAuthority } from './cases.service';

/** The whole case as the case page shows it: phases, assessments with their movements, goals with notes. */
export async function readCase(tx: Tx, ctx: AuditContext, id: string): Promise<CaseView | null> {
  const row = await loadCaseAllowed(tx, ctx, id, 'case.read', 'read');
  if (!row) return null;
  const authority = readsAsAuthority(ctx.actor, row);
  // One after the other: a transaction is one connection, which runs one query at a time anyway (pg@9
  // refuses a second query while one runs).
  const phases = await phaseHistory(tx, id);
  const assessments = authority ? await caseAssessments(tx, id) : { rows: [], levels: [] };
  const allGoals = await goalsOfCase(tx, id);
  const allServices = await servicesOfCase(tx, id);
  // Provider staff see their own unit's services and the goals those services work on.
  const providerUnits = unitsWithRole(ctx.actor, ['udfoerer']);
  const services = authority
    ? allServices
    : allServices.filter((s) => providerUnits.includes(s.service.providerUnitId));
  const visibleGoalIds = authority
    ? null
    : new Set(
        allGoals
          .filter(
            (g) =>
              (g.serviceId && services.some((s) => s.service.id === g.serviceId)) ||
              services.some((s) => s.goalIds.includes(g.id)) ||
              g.kind === 'citizen_goal' ||
              g.kind === 'purpose',
          )
          .map((g) => g.id),
      );
  const goals = visibleGoalIds ? allGoals.filter((g) => visibleGoalIds.has(g.id)) : allGoals;
  const ids = goals.map((g) => g.id);
  const goalEvents = await goalEventsOf(tx, ids);
  const offerLinks = await linksOfGoals(tx, ids);
  await audit(tx, ctx, {
    action: 'read',
    policy: 'case.read',
    resourceType: 'case',
    resourceId: id,
    citizenId: row.citizenId,
    caseId: id,
  });
  return { row, phases, assessments, goals, goalEvents, services, offerLinks, authority };
}
