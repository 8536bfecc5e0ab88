/**
 * What a service must have before it is granted (issue 12, item 12), as KL's reporting of social
 * interventions (FFB) asks: at least one indsatsmål it works on, a støttebehov, a target group and a date
 * the first follow-up falls due (it follows from the start date by the cadence). And an FFB ydelse must be
 * one its Serviceloven paragraph can grant (data/serviceloven/*.json lists them per paragraph).
 */
export interface GrantFacts {
  status: string;
  supportNeedCode: string | null;
  primaryTargetGroupCode: string | null;
  startOn: string | null;
  interventionGoals: number;
}

export interface GrantProblem {
  field: 'goalIds' | 'supportNeedCode' | 'primaryTargetGroupCode' | 'startOn';
  message: string;
  code: 'required';
}

/** The statuses that need the grant's facts in place. */
export const GRANTED_STATUSES = ['granted', 'active'];

/** What is missing before a service can have this status; empty when nothing is. */
export function grantProblems(f: GrantFacts): GrantProblem[] {
  if (!GRANTED_STATUSES.includes(f.status)) return [];
  const out: GrantProblem[] = [];
  if (f.interventionGoals < 1)
    out.push({ field: 'goalIds', message: 'Knyt mindst ét indsatsmål til ydelsen', code: 'required' });
  if (!f.supportNeedCode)
    out.push({ field: 'supportNeedCode', message: 'Angiv borgerens støttebehov', code: 'required' });
  if (!f.primaryTargetGroupCode)
    out.push({ field: 'primaryTargetGroupCode', message: 'Vælg den primære målgruppe', code: 'required' });
  if (!f.startOn)
    out.push({
      field: 'startOn',
      message: 'Angiv (forventet) startdato: første opfølgning er senest 3 måneder efter',
      code: 'required',
    });
  return out;
}

/** Whether a paragraph can grant the ydelse; a paragraph without a list of ydelser accepts any. */
export function ydelseFitsParagraph(ydelseCode: string, paragraphYdelser: readonly string[] | null): boolean {
  return paragraphYdelser === null || paragraphYdelser.includes(ydelseCode);
}
