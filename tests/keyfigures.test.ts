import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assessments,
  communityOffers,
  followUpRatings,
  followUps,
  goalEvents,
  goalOfferLinks,
  goals,
  keyFigureLadders,
  keyFigureState,
  keyFiguresPublished,
  measurements,
  services,
} from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { computeKeyFigures, type KeyFigureRow } from '../src/server/modules/keyfigures/keyfigures.compute';
import {
  currentFigures,
  definitionOf,
  dueThrough,
  seriesOf,
} from '../src/server/modules/keyfigures/keyfigures.refresh';
import { withTenant } from '../src/server/platform/tenancy';
import { addDays, addMonths, danishDate } from '../src/shared/domain/dates';
import { checkPrimarySubtheme, type FfbCategory } from '../src/shared/domain/ffb';
import { brokenDown, INDICATORS, type PeriodKind, periodEnd } from '../src/shared/indicators';
import { createCitizen, createMunicipality, createServiceFor, type TestMunicipality } from './factories';
import { createTestApp, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;
let rows: KeyFigureRow[];

/**
 * A small hand-computed municipality (today 2026-06-30):
 * - A: § 85 from 15 January, open, 10,000 kr. a month;
 * - B: § 107 1 February – 31 March, ended "Ikke yderligere behov (borger-vurderet)", no price; then § 85 from
 *   1 April, open, 500 kr. an hour × 2 hours a week (4,333.33 kr. a month);
 * - C: § 85 granted with no start yet, and a proposed § 107: neither counts.
 */
beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  const ref = t.app.ctx.reference;
  const endList = ref.current('kl-caresocial').key;
  const needMet = ref
    .ofKind(endList, 'end_reason')
    .find((c) => c.display === 'Ikke yderligere behov (borger-vurderet)')!;
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => createCitizen(t.db, m)));
  const aService = await createServiceFor(t.db, m, a!.id, m.units.provider, 'active', {
    paragraphCode: 'SEL §85',
    startOn: '2026-01-15',
    priceAmount: '10000',
    priceUnit: 'month',
  });
  await createServiceFor(t.db, m, b!.id, m.units.otherProvider, 'ended', {
    paragraphCode: 'SEL §107',
    startOn: '2026-02-01',
    endOn: '2026-03-31',
    endReasonList: endList,
    endReasonCode: needMet.code,
  });
  await createServiceFor(t.db, m, b!.id, m.units.provider, 'active', {
    paragraphCode: 'SEL §85',
    startOn: '2026-04-01',
    priceAmount: '500',
    priceUnit: 'hour',
    hoursPerWeek: '2',
  });
  await createServiceFor(t.db, m, c!.id, m.units.provider, 'granted', { paragraphCode: 'SEL §85' });
  await createServiceFor(t.db, m, c!.id, m.units.otherProvider, 'granted', {
    paragraphCode: 'SEL §107',
    status: 'proposed',
  });
  // A's life situation: unemployed with 2 admissions at the assessment in January; in education with none
  // at the follow-up in May. B has none recorded.
  const ffb = ref.current('ffb').key;
  const resultCode = ref.ofKind(ffb, 'follow_up_result')[0]!.code;
  await asOwner(t.db, m.id, async (tx) => {
    await tx.insert(assessments).values({
      municipalityId: m.id,
      caseId: aService.caseId,
      citizenId: a!.id,
      kind: 'initial',
      status: 'completed',
      assessedOn: '2026-01-20',
      ffbList: ffb,
      employment: 'unemployed',
      admissions12m: 2,
    });
    // Follow-ups on A's service on 10 February, 10 May and 9 June (gaps 89 and 30 days); the citizen rates
    // its indsatsmål 0 (T = 50) in February and +1 (T = 60) in May; a June rating of a goal without a GAS
    // scale does not count.
    const [goal] = await tx
      .insert(goals)
      .values({
        municipalityId: m.id,
        citizenId: a!.id,
        caseId: aService.caseId,
        kind: 'citizen_goal',
        wordsOf: 'citizen',
        title: 'Egen bolig',
      })
      .returning({ id: goals.id });
    // Its history: created in the citizen's words in January, cancelled in June.
    await tx.insert(goalEvents).values([
      {
        municipalityId: m.id,
        goalId: goal!.id,
        kind: 'created',
        snapshot: { status: 'active', wordsOf: 'citizen' },
        createdAt: new Date('2026-01-20T10:00:00Z'),
      },
      {
        municipalityId: m.id,
        goalId: goal!.id,
        kind: 'updated',
        snapshot: { status: 'cancelled', wordsOf: 'citizen' },
        createdAt: new Date('2026-06-05T10:00:00Z'),
      },
    ]);
    // An indsatsmål on A's case in the caseworker's words, achieved on 20 May.
    const ffbList = ref.current('ffb').key;
    const [intervention] = await tx
      .insert(goals)
      .values({
        municipalityId: m.id,
        citizenId: a!.id,
        caseId: aService.caseId,
        kind: 'intervention',
        wordsOf: 'caseworker',
        title: 'Klarer selv indkøb',
        status: 'achieved',
        ffbList,
        subthemeCode: ref
          .ofKind(ffbList, 'subtheme')
          .find((c) => !checkPrimarySubtheme(c.attrs.category as FfbCategory))!.code,
        expectedLevel: 2,
        goalTypeCode: ref.ofKind(ffbList, 'goal_type')[0]!.code,
        gasLevels: {
          '-1': 'Handler med følge',
          '0': 'Handler alene ugentligt',
          '1': 'Handler alene dagligt',
        },
        gasBaseline: -1,
      })
      .returning({ id: goals.id });
    await tx.insert(goalEvents).values([
      {
        municipalityId: m.id,
        goalId: intervention!.id,
        kind: 'created',
        snapshot: { status: 'active', wordsOf: 'caseworker' },
        createdAt: new Date('2026-01-20T10:00:00Z'),
      },
      {
        municipalityId: m.id,
        goalId: intervention!.id,
        kind: 'updated',
        snapshot: { status: 'achieved', wordsOf: 'caseworker' },
        createdAt: new Date('2026-05-20T10:00:00Z'),
      },
    ]);
    const informantList = ref.current('kl-caresocial').key;
    const informantCode = ref.ofKind(informantList, 'informant')[0]!.code;
    const base = {
      municipalityId: m.id,
      citizenId: a!.id,
      caseId: aService.caseId,
      serviceId: aService.serviceId,
      ffbList: ffb,
      resultCode,
    };
    const [feb] = await tx
      .insert(followUps)
      .values({ ...base, heldOn: '2026-02-10' })
      .returning({ id: followUps.id });
    const [may] = await tx
      .insert(followUps)
      .values({ ...base, heldOn: '2026-05-10', employment: 'in_education', admissions12m: 0 })
      .returning({ id: followUps.id });
    const [june] = await tx
      .insert(followUps)
      .values({ ...base, heldOn: '2026-06-09' })
      .returning({ id: followUps.id });
    // WHO-5 for A: 40 in January, 56 in May (+16: a reliable improvement, the threshold is 10).
    // QPR-15 for B: 30 in February, 29 in May (no improvement).
    const measure = (citizenId: string, instrumentKey: string, administeredOn: string, score: number) => ({
      municipalityId: m.id,
      citizenId,
      instrumentKey,
      instrumentVersion: '1',
      administeredOn,
      informantList,
      informantCode,
      answers: {},
      raw: String(score),
      score: String(score),
    });
    await tx
      .insert(measurements)
      .values([
        measure(a!.id, 'WHO-5', '2026-01-20', 40),
        measure(a!.id, 'WHO-5', '2026-05-20', 56),
        measure(b!.id, 'QPR-15', '2026-02-15', 30),
        measure(b!.id, 'QPR-15', '2026-05-15', 29),
      ]);
    // A started in a walking group on 1 February and keeps going.
    const [offer] = await tx
      .insert(communityOffers)
      .values({ municipalityId: m.id, name: 'Gå-gruppen', category: 'community' })
      .returning({ id: communityOffers.id });
    await tx.insert(goalOfferLinks).values({
      municipalityId: m.id,
      citizenId: a!.id,
      goalId: goal!.id,
      offerId: offer!.id,
      status: 'continuing',
      startedOn: '2026-02-01',
      checkedOn: '2026-05-01',
    });
    const rating = {
      municipalityId: m.id,
      goalId: intervention!.id,
      rater: 'citizen',
      informantList,
      informantCode,
    };
    await tx.insert(followUpRatings).values([
      { ...rating, followUpId: feb!.id, score: 0 },
      { ...rating, followUpId: may!.id, score: 1 },
      // A rating of a goal without a written scale (older data) is not GAS: it does not count.
      { ...rating, goalId: goal!.id, followUpId: june!.id, score: 2 },
    ]);
  });
  rows = await asOwner(t.db, m.id, (tx) =>
    computeKeyFigures(tx, ref, { from: '2026-01-01', today: '2026-06-30' }),
  );
});
afterAll(() => t.close());

const fig = (indicator: string, kind: string, start: string, breakdown = '', value = '') =>
  rows.find(
    (r) =>
      r.indicator === indicator &&
      r.periodKind === kind &&
      r.periodStart === start &&
      r.breakdown === breakdown &&
      r.value === value,
  );

describe('key figures on a hand-computed municipality', () => {
  it('citizens with a service: per period, paragraph and step; granted-without-start and proposed do not count', () => {
    expect(fig('citizens', 'month', '2026-01-01')?.numerator).toBe(1);
    expect(fig('citizens', 'quarter', '2026-01-01')?.numerator).toBe(2);
    expect(fig('citizens', 'quarter', '2026-01-01', 'paragraph', 'SEL §107')?.numerator).toBe(1);
    expect(fig('citizens', 'quarter', '2026-01-01', 'step', '4')?.numerator).toBe(1);
    expect(fig('citizens', 'quarter', '2026-04-01', 'paragraph', 'SEL §85')?.numerator).toBe(2);
    expect(fig('citizens', 'quarter', '2026-04-01', 'step', '3')?.numerator).toBe(2);
    expect(fig('citizens', 'quarter', '2026-04-01', 'unit', m.units.provider)?.numerator).toBe(2);
    // A citizen on two paragraphs in the year is one citizen in the year's total.
    expect(fig('citizens', 'year', '2026-01-01')?.numerator).toBe(2);
    expect(fig('citizens', 'quarter', '2026-04-01', 'step', '4')).toBeUndefined();
  });

  it('new citizens: the first service ever starts in the period', () => {
    expect(fig('new_citizens', 'quarter', '2026-01-01')?.numerator).toBe(2);
    expect(fig('new_citizens', 'month', '2026-02-01', 'paragraph', 'SEL §107')?.numerator).toBe(1);
    // B's second service in April is not a new citizen.
    expect(fig('new_citizens', 'quarter', '2026-04-01')).toBeUndefined();
  });

  it('services ended because the need is met, over services ended', () => {
    expect(fig('ended_need_met', 'quarter', '2026-01-01')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(fig('ended_need_met', 'year', '2026-01-01', 'paragraph', 'SEL §107')).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
    expect(fig('ended_need_met', 'quarter', '2026-04-01')).toBeUndefined();
  });

  it('spend: the monthly cost × 12 / 365 for each day the service runs in the period', () => {
    // A in January: 15–31 January is 17 days.
    expect(fig('spend', 'month', '2026-01-01')?.numerator).toBeCloseTo((10000 * 12 * 17) / 365, 2);
    // Q1: only A has a price (76 days).
    expect(fig('spend', 'quarter', '2026-01-01')?.numerator).toBeCloseTo((10000 * 12 * 76) / 365, 2);
    // Q2: A and B's § 85, 91 days each.
    const q2 = ((10000 + (500 * 2 * 52) / 12) * 12 * 91) / 365;
    expect(fig('spend', 'quarter', '2026-04-01')?.numerator).toBeCloseTo(q2, 2);
    expect(fig('spend', 'quarter', '2026-04-01', 'paragraph', 'SEL §85')?.numerator).toBeCloseTo(q2, 2);
  });

  it('education or employment, and psychiatric admissions: the latest recorded by the period’s end', () => {
    // Q1: A unemployed (1 recorded), B nothing recorded.
    expect(fig('education_employment', 'quarter', '2026-01-01')).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
    // Q2: A's follow-up in May says in education.
    expect(fig('education_employment', 'quarter', '2026-04-01')).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
    // April alone still has January's assessment as the latest.
    expect(fig('education_employment', 'month', '2026-04-01')).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
    expect(fig('psychiatric_admission', 'quarter', '2026-01-01')).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
    expect(fig('psychiatric_admission', 'quarter', '2026-04-01')).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
    expect(fig('psychiatric_admission', 'quarter', '2026-04-01', 'paragraph', 'SEL §85')).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
  });

  it('goal attainment: the citizen’s GAS T-score per follow-up, summed over the follow-ups', () => {
    expect(fig('gas_attainment', 'quarter', '2026-01-01')).toMatchObject({ numerator: 50, denominator: 1 });
    expect(fig('gas_attainment', 'quarter', '2026-04-01')).toMatchObject({ numerator: 60, denominator: 1 });
    expect(fig('gas_attainment', 'year', '2026-01-01')).toMatchObject({ numerator: 110, denominator: 2 });
    // By the target group of the service followed up.
    expect(
      rows.filter(
        (r) => r.indicator === 'gas_attainment' && r.breakdown === 'target_group' && r.periodKind === 'year',
      ),
    ).toEqual([expect.objectContaining({ numerator: 110, denominator: 2 })]);
    // Rows only for the breakdowns the catalogue defines: spend per achieved goal has none.
    expect(rows.some((r) => r.indicator === 'spend_per_goal_achieved' && r.breakdown !== '')).toBe(false);
  });

  it('the achieved cadence: median days between follow-ups on the same service', () => {
    expect(fig('follow_up_interval', 'quarter', '2026-01-01')).toBeUndefined();
    expect(fig('follow_up_interval', 'quarter', '2026-04-01')).toMatchObject({
      numerator: 59.5,
      denominator: 2,
    });
    expect(fig('follow_up_interval', 'month', '2026-06-01')).toMatchObject({ numerator: 30, denominator: 1 });
  });

  it('moves on the ladder: the highest step the day before the period against its end', () => {
    // B moved from § 107 (step 4) to § 85 (step 3) between 31 March and 1 April.
    expect(fig('step_down', 'quarter', '2026-04-01')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(fig('step_down', 'month', '2026-04-01', 'step', '4')).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
    expect(fig('step_down', 'month', '2026-03-01')).toMatchObject({ numerator: 0, denominator: 2 });
    expect(fig('step_up', 'quarter', '2026-04-01')).toMatchObject({ numerator: 0, denominator: 2 });
    // Nobody had a service the day before the year began.
    expect(fig('step_down', 'year', '2026-01-01')).toBeUndefined();
    // B's § 107 lasted 1 February – 31 March: 59 days.
    expect(fig('days_on_step', 'quarter', '2026-01-01', 'step', '4')).toMatchObject({
      numerator: 59,
      denominator: 1,
    });
  });

  it('follow-ups on time, goals in the citizen’s words, and § 141 plans', () => {
    // A's follow-ups (10 Feb, 10 May, 9 Jun) are all within their due dates; B's § 85 is not yet due.
    expect(fig('follow_up_on_time', 'quarter', '2026-01-01')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(fig('follow_up_on_time', 'quarter', '2026-04-01')).toMatchObject({ numerator: 2, denominator: 2 });
    // The citizen's goal and the indsatsmål count while active (Q1, one of two in the citizen's words); by
    // the end of Q2 one is cancelled and the other achieved.
    expect(fig('goals_own_words', 'quarter', '2026-01-01')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(fig('goals_own_words', 'quarter', '2026-04-01')).toBeUndefined();
    // Three citizens with an open case, no plan offered yet.
    expect(fig('plan_offered', 'quarter', '2026-04-01')).toMatchObject({ numerator: 0, denominator: 3 });
    expect(fig('plan_accepted', 'quarter', '2026-04-01')).toMatchObject({ numerator: 0, denominator: 0 });
  });

  it('spend per citizen: spend over the citizens with a priced service', () => {
    const q2 = ((10000 + (500 * 2 * 52) / 12) * 12 * 91) / 365;
    const row = fig('spend_per_citizen', 'quarter', '2026-04-01')!;
    expect(row.numerator).toBeCloseTo(q2, 2);
    expect(row.denominator).toBe(2);
  });

  it('spend per achieved goal: spend on cases with an indsatsmål over the indsatsmål achieved in the period', () => {
    // Only A's case has an indsatsmål; it is achieved on 20 May.
    const row = fig('spend_per_goal_achieved', 'quarter', '2026-04-01')!;
    expect(row.numerator).toBeCloseTo((10000 * 12 * 91) / 365, 2);
    expect(row.denominator).toBe(1);
    expect(row.contributors).toBe(1);
    expect(fig('spend_per_goal_achieved', 'month', '2026-05-01')!.denominator).toBe(1);
    expect(fig('spend_per_goal_achieved', 'quarter', '2026-01-01')).toBeUndefined();
  });

  it('outcome measures: reliable improvement from the first to the latest measurement in the period', () => {
    expect(fig('who5_improved', 'quarter', '2026-04-01')).toMatchObject({ numerator: 1, denominator: 1 });
    // Only one WHO-5 by the end of Q1: not yet a change.
    expect(fig('who5_improved', 'quarter', '2026-01-01')).toBeUndefined();
    expect(fig('qpr_improved', 'quarter', '2026-04-01')).toMatchObject({ numerator: 0, denominator: 1 });
  });

  it('community offers: started in the period, and still going', () => {
    expect(fig('community_started', 'quarter', '2026-01-01')?.numerator).toBe(1);
    expect(fig('community_started', 'quarter', '2026-04-01')).toBeUndefined();
    expect(fig('community_kept', 'quarter', '2026-04-01')).toMatchObject({ numerator: 1, denominator: 1 });
  });
});

describe('keeping the figures current', () => {
  it('the sweep publishes each period once it has ended, then freezes it; a later change reaches the next period only', async () => {
    const stored = async () =>
      asOwner(t.db, m.id, async (tx) => ({
        figures: await tx
          .select()
          .from(keyFiguresPublished)
          .where(eq(keyFiguresPublished.municipalityId, m.id)),
        state: (await tx.select().from(keyFigureState).where(eq(keyFigureState.municipalityId, m.id)))[0],
        ladders: await tx
          .select()
          .from(keyFigureLadders)
          .where(eq(keyFigureLadders.municipalityId, m.id))
          .orderBy(keyFigureLadders.today),
      }));
    const today = () => danishDate(t.clock.now());
    const first = await t.app.ctx.keyFigures.sweep();
    expect(first.map((r) => r.municipalityId)).toContain(m.id);
    const after = await stored();
    expect(after.figures.length).toBeGreaterThan(100);
    expect(after.state?.publishedThrough).toBe(dueThrough(today()));
    // The ladder at the end of the last published month, against a year before.
    expect(after.ladders.map((l) => [l.yearAgo, l.today])).toEqual([
      [addDays(addMonths(addDays(dueThrough(today()), 1), -12), -1), dueThrough(today())],
    ]);
    // Only ended periods are published: nothing runs past the due date; months are not broken down, and
    // indicators of few events only by year.
    for (const f of after.figures) {
      expect(periodEnd(f.periodKind as PeriodKind, f.periodStart) <= dueThrough(today())).toBe(true);
      if (f.breakdown !== '')
        expect(
          brokenDown(
            INDICATORS.find((i) => i.key === f.indicator),
            f.periodKind as PeriodKind,
          ),
        ).toBe(true);
    }
    const byQuarter = (indicator: string) =>
      after.figures.filter(
        (f) => f.indicator === indicator && f.periodKind === 'quarter' && f.breakdown !== '',
      );
    expect(byQuarter('citizens').length).toBeGreaterThan(0);
    expect(byQuarter('new_citizens')).toEqual([]);
    // Nothing new is due: nothing to do.
    expect((await t.app.ctx.keyFigures.sweep()).map((r) => r.municipalityId)).not.toContain(m.id);
    // A changed price: the published periods do not change (a republication could be subtracted from the first).
    await asOwner(t.db, m.id, (tx) =>
      tx.update(services).set({ priceAmount: '12000' }).where(eq(services.priceUnit, 'month')),
    );
    await t.app.ctx.keyFigures.sweep();
    const frozen = await stored();
    const key = (f: {
      indicator: string;
      periodKind: string;
      periodStart: string;
      breakdown: string;
      value: string;
    }) => `${f.indicator}|${f.periodKind}|${f.periodStart}|${f.breakdown}|${f.value}`;
    const was = new Map(after.figures.map((f) => [key(f), f]));
    expect(frozen.figures.length).toBe(after.figures.length);
    for (const f of frozen.figures) expect(f).toEqual(was.get(key(f)));
    // A month later the next month is due: it is published, from the data as they are then.
    const nextMonthStart = addDays(dueThrough(today()), 1);
    t.clock.advance(31 * 86_400_000);
    expect((await t.app.ctx.keyFigures.sweep()).map((r) => r.municipalityId)).toContain(m.id);
    const later = await stored();
    const spend = later.figures.find(
      (f) =>
        f.indicator === 'spend' &&
        f.periodKind === 'month' &&
        f.periodStart === nextMonthStart &&
        f.breakdown === '',
    );
    expect(spend).toBeDefined();
    const computed = await withTenant(t.database, { municipalityId: m.id, userId: null }, (tx) =>
      currentFigures(tx, t.app.ctx.reference, today()),
    );
    const raw = computed.find(
      (f) =>
        f.indicator === 'spend' &&
        f.periodKind === 'month' &&
        f.periodStart === nextMonthStart &&
        f.breakdown === '',
    );
    if (spend!.status === 'shown') expect(Number(spend!.numerator)).toBeCloseTo(raw!.numerator, 2);
    else expect(spend!.numerator).toBeNull();
    for (const f of later.figures) if (was.has(key(f))) expect(f).toEqual(was.get(key(f)));
    // A new ladder for the new month; the first is kept as it was published (later ones are audited with it).
    expect(later.ladders.map((l) => l.today)).toEqual([after.ladders[0]!.today, dueThrough(today())]);
    expect(later.ladders[0]).toEqual(after.ladders[0]);
    // An upgrade that changes the definitions runs the sweep again, and the published periods stay as they were.
    await asOwner(t.db, m.id, (tx) =>
      tx.update(keyFigureState).set({ definition: 'older' }).where(eq(keyFigureState.municipalityId, m.id)),
    );
    expect((await t.app.ctx.keyFigures.sweep()).map((r) => r.municipalityId)).toContain(m.id);
    const upgraded = await stored();
    expect(upgraded.state?.definition).toBe(definitionOf(t.app.ctx.reference));
    // The ladders of published months are frozen too: not published again.
    expect(upgraded.ladders).toEqual(later.ladders);
    expect((await t.app.ctx.keyFigures.sweep()).map((r) => r.municipalityId)).not.toContain(m.id);
  });
});

describe('a municipality whose data are complete from its go-live', () => {
  it('publishes only periods starting on or after its key-figure start, and no ladder reaching back before it', async () => {
    const g = await createMunicipality(t.db);
    const citizen = await createCitizen(t.db, g);
    // Brought over at go-live with a service running since 2025; today is 2026-06-30.
    await createServiceFor(t.db, g, citizen.id, g.units.provider, 'active', {
      paragraphCode: 'SEL §85',
      startOn: '2025-03-10',
    });
    await asOwner(t.db, g.id, (tx) =>
      tx.execute(sql`update municipalities set key_figures_from = '2026-01-01' where id = ${g.id}`),
    );
    expect((await t.app.ctx.keyFigures.sweep()).map((r) => r.municipalityId)).toContain(g.id);
    const published = await asOwner(t.db, g.id, (tx) =>
      tx.select().from(keyFiguresPublished).where(eq(keyFiguresPublished.municipalityId, g.id)),
    );
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((f) => f.periodStart < '2026-01-01')).toEqual([]);
    expect(new Set(published.map((f) => f.periodKind))).toEqual(new Set(['month', 'quarter']));
    // The raw figures start there too (what the audit and the exports see).
    const raw = await withTenant(t.database, { municipalityId: g.id, userId: null }, (tx) =>
      currentFigures(tx, t.app.ctx.reference, danishDate(t.clock.now())),
    );
    expect(raw.filter((f) => f.periodStart < '2026-01-01')).toEqual([]);
    // A year back from the end of May 2026 is before the start: no ladder yet.
    const ladders = await asOwner(t.db, g.id, (tx) =>
      tx.select().from(keyFigureLadders).where(eq(keyFigureLadders.municipalityId, g.id)),
    );
    expect(ladders).toEqual([]);
  }, 120_000);
});

describe('published figures as series', () => {
  it('groups figures into series with their periods in order, whatever order they come in', () => {
    const f = (indicator: string, periodStart: string, value = '', numerator: number | null = 5) => ({
      indicator,
      periodKind: 'month' as const,
      periodStart,
      breakdown: value ? 'unit' : '',
      value,
      status: numerator === null ? ('withheld' as const) : ('shown' as const),
      numerator,
      denominator: null,
      figure: numerator,
    });
    const ordered = [
      f('citizens', '2026-01-01'),
      f('citizens', '2026-02-01', '', null),
      f('citizens', '2026-01-01', 'u1'),
      f('spend', '2026-01-01'),
    ];
    const expected = [
      {
        indicator: 'citizens',
        value: '',
        starts: ['2026-01-01', '2026-02-01'],
        statuses: ['shown', 'withheld'],
      },
      { indicator: 'citizens', value: 'u1', starts: ['2026-01-01'], numerators: [5] },
      { indicator: 'spend', value: '', starts: ['2026-01-01'] },
    ];
    expect(seriesOf(ordered)).toMatchObject(expected);
    // Shuffled (an exchange file): the same series, periods sorted.
    const shuffled = [ordered[3]!, ordered[1]!, ordered[2]!, ordered[0]!];
    const sorted = seriesOf(shuffled).sort((a, b) =>
      `${a.indicator}${a.value}`.localeCompare(`${b.indicator}${b.value}`),
    );
    expect(sorted).toMatchObject(expected);
    expect(sorted[0]!.numerators).toEqual([5, null]);
  });
});

describe('published figures at rest', () => {
  it('the database refuses a withheld figure that carries numbers, and series whose arrays are out of step', async () => {
    const insert = (
      statuses: string,
      numerators: string,
      figures: string,
      starts = '{2020-01-01,2020-02-01}',
    ) =>
      withTenant(t.database, { municipalityId: m.id, userId: null }, (tx) =>
        tx.execute(sql`insert into key_figure_series (municipality_id, period_kind, breakdown, indicator, value,
                         period_starts, statuses, numerators, denominators, figures)
                       values (app_municipality_id(), 'month', 'unit', 'citizens', 'test-series', ${starts}::date[],
                               ${statuses}::text[], ${numerators}::numeric[], '{null,null}', ${figures}::numeric[])`),
      );
    await expect(insert('{shown,withheld}', '{5,2}', '{5,null}')).rejects.toThrow();
    await expect(insert('{shown,withheld}', '{5,null}', '{5,4}')).rejects.toThrow();
    await expect(insert('{shown,unknown}', '{5,null}', '{5,null}')).rejects.toThrow();
    await expect(insert('{shown,withheld}', '{5,null}', '{5,null}', '{2020-01-01}')).rejects.toThrow();
    // A reason is never published: only 'shown' and 'withheld'.
    await expect(insert('{shown,too_few}', '{5,null}', '{5,null}')).rejects.toThrow();
    await insert('{shown,withheld}', '{5,null}', '{5,null}');
    const [row] = await withTenant(t.database, { municipalityId: m.id, userId: null }, async (tx) =>
      tx
        .select()
        .from(keyFiguresPublished)
        .where(and(eq(keyFiguresPublished.value, 'test-series'), eq(keyFiguresPublished.status, 'withheld'))),
    );
    expect(row).toMatchObject({ periodStart: '2020-02-01', numerator: null, figure: null });
    await withTenant(t.database, { municipalityId: m.id, userId: null }, (tx) =>
      tx.execute(sql`delete from key_figure_series where value = 'test-series'`),
    );
  });
});

describe('follow-ups on time, with overdue ones', () => {
  it('counts a late follow-up as held but not on time, and a missing one as overdue', async () => {
    const m2 = await createMunicipality(t.db);
    const ref = t.app.ctx.reference;
    const [x, y] = await Promise.all([createCitizen(t.db, m2), createCitizen(t.db, m2)]);
    // Both start 1 January, so the first follow-up is due 1 April.
    await createServiceFor(t.db, m2, x!.id, m2.units.provider, 'active', {
      paragraphCode: 'SEL §104',
      startOn: '2026-01-01',
    });
    const late = await createServiceFor(t.db, m2, y!.id, m2.units.provider, 'active', {
      paragraphCode: 'SEL §85',
      startOn: '2026-01-01',
    });
    const ffb = ref.current('ffb').key;
    await asOwner(t.db, m2.id, (tx) =>
      tx.insert(followUps).values({
        municipalityId: m2.id,
        citizenId: y!.id,
        caseId: late.caseId,
        serviceId: late.serviceId,
        heldOn: '2026-05-01',
        ffbList: ffb,
        resultCode: ref.ofKind(ffb, 'follow_up_result')[0]!.code,
      }),
    );
    // As the app runs it: the app role, confined to the municipality by row-level security.
    const figures = await withTenant(t.database, { municipalityId: m2.id, userId: null }, (tx) =>
      computeKeyFigures(tx, ref, { from: '2026-01-01', today: '2026-06-30' }),
    );
    const on = (kind: string, start: string) =>
      figures.find(
        (r) =>
          r.indicator === 'follow_up_on_time' &&
          r.periodKind === kind &&
          r.periodStart === start &&
          r.breakdown === '',
      );
    // Nothing is due by 31 March.
    expect(on('quarter', '2026-01-01')).toBeUndefined();
    // End of April: both are overdue. May: one held late, one still overdue. Q2 likewise.
    expect(on('month', '2026-04-01')).toMatchObject({ numerator: 0, denominator: 2 });
    expect(on('month', '2026-05-01')).toMatchObject({ numerator: 0, denominator: 2 });
    expect(on('quarter', '2026-04-01')).toMatchObject({ numerator: 0, denominator: 2 });
  });
});
