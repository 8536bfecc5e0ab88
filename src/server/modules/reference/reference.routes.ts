import type { FastifyInstance } from 'fastify';
import type { Reference } from './reference';
import type { CodeRow } from './reference.data';

const brief = (c: CodeRow) => ({ code: c.code, display: c.display });

/** The current reference data as the web app needs it: codes grouped, definitions only where they help. */
export function presentReference(ref: Reference) {
  const ffb = ref.current('ffb');
  const kl = ref.current('kl-caresocial');
  const sel = ref.current('serviceloven');
  const methods = ref.current('methods');
  const byOrdinal = (kind: string) =>
    ref
      .ofKind(ffb.key, kind)
      .filter((c) => typeof c.attrs.ordinal === 'number')
      .sort((a, b) => (a.attrs.ordinal as number) - (b.attrs.ordinal as number))
      .map((c) => ({ ...brief(c), ordinal: c.attrs.ordinal as number }));
  const themes = ref.ofKind(ffb.key, 'theme').map((t) => ({
    ...brief(t),
    category: t.attrs.category as string,
    definition: t.definition,
    subthemes: ref
      .ofKind(ffb.key, 'subtheme')
      .filter((s) => s.parentCode === t.code)
      .map((s) => ({ ...brief(s), definition: s.definition })),
  }));
  return {
    ffb: {
      key: ffb.key,
      version: ffb.version,
      themes,
      functioningLevels: byOrdinal('functioning_level'),
      supportNeeds: byOrdinal('support_need'),
      goalTypes: ref.ofKind(ffb.key, 'goal_type').map(brief),
      followUpResults: ref
        .ofKind(ffb.key, 'follow_up_result')
        .map((c) => ({ ...brief(c), ends: c.attrs.ends === true })),
      ydelser: ref.ofKind(ffb.key, 'ydelse').map((c) => ({
        ...brief(c),
        parentCode: c.parentCode,
        paragraph: (c.attrs.paragraph as string | undefined) ?? null,
      })),
      providerTypes: ref
        .ofKind(ffb.key, 'provider_type')
        .map((c) => ({ ...brief(c), parentCode: c.parentCode })),
      targetGroups: ref
        .ofKind(ffb.key, 'target_group')
        .map((c) => ({ ...brief(c), parentCode: c.parentCode })),
    },
    klCaresocial: {
      key: kl.key,
      version: kl.version,
      informants: ref.ofKind(kl.key, 'informant').map(brief),
      endReasons: ref.ofKind(kl.key, 'end_reason').map((c) => ({ ...brief(c), parentCode: c.parentCode })),
    },
    serviceloven: {
      key: sel.key,
      version: sel.version,
      steps: ref.ofKind(sel.key, 'ladder_step').map((c) => ({ ...brief(c), step: c.attrs.step as number })),
      paragraphs: ref.ofKind(sel.key, 'paragraph').map((c) => ({
        ...brief(c),
        step: c.attrs.step as number,
        maxMonths: (c.attrs.maxMonths as number | null) ?? null,
        /** The FFB ydelser this paragraph may grant (null: any). */
        ydelser: (c.attrs.ydelser as string[] | undefined) ?? null,
      })),
    },
    methods: {
      key: methods.key,
      version: methods.version,
      items: ref.ofKind(methods.key, 'method').map((c) => ({ ...brief(c), description: c.definition })),
    },
    instruments: ref.currentInstrumentList(),
  };
}

/** Reference data for forms: current code lists, paragraphs with ladder steps, methods and instruments. */
export async function registerReferenceRoutes(app: FastifyInstance): Promise<void> {
  // Reference data changes only at start, so the answer is built once, not on every request.
  const body = presentReference(app.ctx.reference);
  app.get('/api/reference', {
    schema: { tags: ['reference'], summary: 'Gældende kodelister, paragraffer, metoder og måleredskaber' },
    config: { policy: { authenticated: true } },
    handler: async () => body,
  });
}
