import { and, asc, eq, sql } from 'drizzle-orm';
import type { CatalogueSave } from '../../../shared/pathway';
import { catalogueItems, municipalityInstruments, orgUnits } from '../../db/schema';
import type { AuditContext } from '../../platform/audit';
import { type Change, conflict, type FieldError, unprocessable } from '../../platform/errors';
import type { Tx } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';

/** The municipality's own methods and local services (with prices). */
export function listCatalogue(tx: Tx) {
  return tx.select().from(catalogueItems).orderBy(asc(catalogueItems.kind), asc(catalogueItems.name));
}

async function validate(tx: Tx, ref: Reference, body: CatalogueSave) {
  const errors: FieldError[] = [];
  if (body.kind === 'local_service') {
    if (
      body.paragraphCode &&
      !ref.codeOfKind(ref.current('serviceloven').key, body.paragraphCode, 'paragraph')
    )
      errors.push({ field: 'paragraphCode', message: 'Ukendt paragraf', code: 'invalid_code' });
    if (body.ydelseCode && !ref.codeOfKind(ref.current('ffb').key, body.ydelseCode, 'ydelse'))
      errors.push({ field: 'ydelseCode', message: 'Ukendt ydelse', code: 'invalid_code' });
    if ((body.priceAmount === null) !== (body.priceUnit === null))
      errors.push({ field: 'priceUnit', message: 'Angiv både pris og enhed', code: 'required' });
    if (body.providerUnitId) {
      const [u] = await tx
        .select({ kind: orgUnits.kind })
        .from(orgUnits)
        .where(eq(orgUnits.id, body.providerUnitId));
      if (u?.kind !== 'tilbud')
        errors.push({ field: 'providerUnitId', message: 'Vælg et tilbud', code: 'invalid_unit' });
    }
  } else if (body.paragraphCode || body.ydelseCode || body.priceAmount !== null || body.providerUnitId) {
    errors.push({
      field: 'kind',
      message: 'En metode har ingen paragraf, ydelse, leverandør eller pris',
      code: 'not_allowed',
    });
  }
  if (errors.length) throw unprocessable('catalogue_invalid', 'Kataloget har fejl.', errors);
}

const row = (ref: Reference, body: CatalogueSave) => ({
  ...body,
  priceAmount: body.priceAmount?.toFixed(2) ?? null,
  paragraphList: body.paragraphCode ? ref.current('serviceloven').key : null,
  ffbList: body.ydelseCode ? ref.current('ffb').key : null,
});

export async function createItem(tx: Tx, ctx: AuditContext, ref: Reference, body: CatalogueSave) {
  await validate(tx, ref, body);
  const [i] = await tx
    .insert(catalogueItems)
    .values({ ...row(ref, body), municipalityId: ctx.actor.municipalityId })
    .returning();
  return i!;
}

export async function updateItem(
  tx: Tx,
  ref: Reference,
  id: string,
  body: CatalogueSave & { version: number },
): Promise<Change<typeof catalogueItems.$inferSelect>> {
  await validate(tx, ref, body);
  const { version, ...fields } = body;
  const [i] = await tx
    .update(catalogueItems)
    .set({ ...row(ref, fields), version: sql`${catalogueItems.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(catalogueItems.id, id), eq(catalogueItems.version, version)))
    .returning();
  if (i) return { ok: i };
  const [current] = await tx.select().from(catalogueItems).where(eq(catalogueItems.id, id));
  return current ? { conflict: current } : { notFound: true };
}

/** Copies the national methods catalogue (data/methods) into the municipality's, skipping codes it has. */
export async function importMethods(tx: Tx, ctx: AuditContext, ref: Reference) {
  const methods = ref.ofKind(ref.current('methods').key, 'method');
  const added = await tx
    .insert(catalogueItems)
    .values(
      methods.map((m) => ({
        municipalityId: ctx.actor.municipalityId,
        kind: 'method',
        code: m.code,
        name: m.display,
        description: m.definition,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: catalogueItems.id });
  return added.length;
}

/** Switches a licensed instrument on or off for the municipality. */
export async function setInstrument(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  key: string,
  enabled: boolean,
) {
  const def = ref.instrument(key);
  if (!def) return null;
  if (!def.licence.required) throw conflict('instrument_free', 'Måleredskabet kræver ingen licens.');
  if (enabled)
    await tx
      .insert(municipalityInstruments)
      .values({ municipalityId: ctx.actor.municipalityId, instrumentKey: key, enabledBy: ctx.actor.userId })
      .onConflictDoNothing();
  else await tx.delete(municipalityInstruments).where(eq(municipalityInstruments.instrumentKey, key));
  return { key, enabled };
}
