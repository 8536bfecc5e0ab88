import type { InstrumentDefinition } from '../../../shared/domain/instruments';
import type { Database } from '../../db/client';
import { codeLists, codes, instruments } from '../../db/schema';
import { withoutTenant } from '../../platform/tenancy';
import type { CodeRow } from './reference.data';

export interface CodeList {
  key: string;
  system: string;
  version: string;
  title: string;
  isCurrent: boolean;
  codes: Map<string, CodeRow>;
}

/**
 * All loaded code list versions and instruments, in memory (a few hundred rows): validation and
 * presenters resolve codes of any version without a query. Reference data changes only at start.
 */
export class Reference {
  private readonly currentBySystem = new Map<string, CodeList>();
  private readonly instrumentsByKey = new Map<string, Map<string, InstrumentDefinition>>();
  private readonly currentInstruments = new Map<string, InstrumentDefinition>();

  constructor(
    readonly lists: Map<string, CodeList>,
    instrumentRows: { definition: InstrumentDefinition; isCurrent: boolean }[],
  ) {
    for (const l of lists.values()) if (l.isCurrent) this.currentBySystem.set(l.system, l);
    for (const { definition, isCurrent } of instrumentRows) {
      const versions = this.instrumentsByKey.get(definition.key) ?? new Map();
      versions.set(definition.version, definition);
      this.instrumentsByKey.set(definition.key, versions);
      if (isCurrent) this.currentInstruments.set(definition.key, definition);
    }
  }

  /** The current version of a system ("ffb", "kl-caresocial", "serviceloven", "methods"). */
  current(system: string): CodeList {
    const l = this.currentBySystem.get(system);
    if (!l) throw new Error(`no current code list for ${system}; run the reference data install`);
    return l;
  }

  code(listKey: string | null | undefined, code: string | null | undefined): CodeRow | undefined {
    if (!listKey || !code) return undefined;
    return this.lists.get(listKey)?.codes.get(code);
  }

  /** The display text of a code in the version it was recorded with. */
  display(listKey: string | null | undefined, code: string | null | undefined): string | null {
    return this.code(listKey, code)?.display ?? null;
  }

  /** A code with its display text in the version it was recorded with, for presenters; null when absent. */
  coded(
    listKey: string | null | undefined,
    code: string | null | undefined,
  ): { code: string; display: string } | null {
    return listKey && code ? { code, display: this.display(listKey, code) ?? code } : null;
  }

  ofKind(listKey: string, kind: string): CodeRow[] {
    const l = this.lists.get(listKey);
    return l ? [...l.codes.values()].filter((c) => c.kind === kind) : [];
  }

  /** A code of the given kind in the list, or undefined (for validating input). */
  codeOfKind(listKey: string, code: string | null | undefined, kind: string): CodeRow | undefined {
    const c = this.code(listKey, code);
    return c?.kind === kind ? c : undefined;
  }

  instrument(key: string, version?: string): InstrumentDefinition | undefined {
    return version ? this.instrumentsByKey.get(key)?.get(version) : this.currentInstruments.get(key);
  }

  currentInstrumentList(): InstrumentDefinition[] {
    return [...this.currentInstruments.values()];
  }
}

/** Reads all reference data into memory (as the application role, which may only SELECT it). */
export async function loadReference(database: Database): Promise<Reference> {
  return withoutTenant(database, async (tx) => {
    const listRows = await tx.select().from(codeLists);
    const codeRows = await tx.select().from(codes).orderBy(codes.listKey, codes.sortOrder);
    const instrumentRows = await tx
      .select({ definition: instruments.definition, isCurrent: instruments.isCurrent })
      .from(instruments);
    const lists = new Map<string, CodeList>(
      listRows.map((l) => [
        l.key,
        {
          key: l.key,
          system: l.system,
          version: l.version,
          title: l.title,
          isCurrent: l.isCurrent,
          codes: new Map(),
        },
      ]),
    );
    for (const c of codeRows) {
      const { listKey, ...row } = c;
      lists.get(listKey)?.codes.set(c.code, row);
    }
    return new Reference(
      lists,
      instrumentRows.map((r) => ({
        definition: r.definition as unknown as InstrumentDefinition,
        isCurrent: r.isCurrent,
      })),
    );
  });
}
