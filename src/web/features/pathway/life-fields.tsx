import { NumberInput, Select, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  EDUCATION,
  EMPLOYMENT,
  HOUSING,
  type LifeSituation,
  PSYCHIATRY_CONTACT,
} from '../../../shared/pathway';
import { orNull, readOnlyField } from '../../components/forms';

/** The life situation as a form holds it: '' for "not known". */
export type LifeDraft = Record<'housing' | 'employment' | 'education' | 'psychiatryContact', string> & {
  admissions12m: number | string;
  admissionDays12m: number | string;
};

export const lifeDraftOf = (
  l: Partial<Record<keyof LifeSituation, string | number | null>> | null,
): LifeDraft => ({
  housing: String(l?.housing ?? ''),
  employment: String(l?.employment ?? ''),
  education: String(l?.education ?? ''),
  psychiatryContact: String(l?.psychiatryContact ?? ''),
  admissions12m: l?.admissions12m ?? '',
  admissionDays12m: l?.admissionDays12m ?? '',
});

export function lifeBodyOf(d: LifeDraft) {
  const num = (v: number | string) => (v === '' ? null : Number(v));
  return {
    housing: orNull(d.housing),
    employment: orNull(d.employment),
    education: orNull(d.education),
    psychiatryContact: orNull(d.psychiatryContact),
    admissions12m: num(d.admissions12m),
    admissionDays12m: num(d.admissionDays12m),
  };
}

/** Housing, employment, education, psychiatric contact and admissions: at assessment and at follow-up. */
export function LifeFields({
  value,
  onChange,
  readOnly = false,
}: {
  value: LifeDraft;
  onChange: (next: LifeDraft) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const set = (k: keyof LifeDraft, v: string | number) => onChange({ ...value, [k]: v });
  const select = (
    k: 'housing' | 'employment' | 'education' | 'psychiatryContact',
    values: readonly string[],
    ns: string,
    label: string,
  ) => (
    <Select
      label={label}
      data={values.map((v) => ({ value: v, label: t(`pathway.life.${ns}.${v}`) }))}
      value={value[k] || null}
      onChange={(v) => set(k, v ?? '')}
      placeholder={t('pathway.life.unknown')}
      clearable
      {...readOnlyField(readOnly)}
    />
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
      {select('housing', HOUSING, 'housing', t('pathway.assessment.housing'))}
      {select('employment', EMPLOYMENT, 'employment', t('pathway.assessment.employment'))}
      {select('education', EDUCATION, 'education', t('pathway.assessment.education'))}
      {select('psychiatryContact', PSYCHIATRY_CONTACT, 'psychiatry', t('pathway.assessment.psychiatry'))}
      <NumberInput
        label={t('pathway.assessment.admissions')}
        min={0}
        max={365}
        value={value.admissions12m}
        onChange={(v) => set('admissions12m', v)}
        {...readOnlyField(readOnly)}
      />
      <NumberInput
        label={t('pathway.assessment.admissionDays')}
        min={0}
        max={366}
        value={value.admissionDays12m}
        onChange={(v) => set('admissionDays12m', v)}
        {...readOnlyField(readOnly)}
      />
    </SimpleGrid>
  );
}
