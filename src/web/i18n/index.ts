import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { z } from 'zod';
import { ApiError } from '../api';
import { da } from './da';
import { en } from './en';

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('retning.lang') : null;

void i18n.use(initReactI18next).init({
  resources: { da: { translation: da }, en: { translation: en } },
  lng: stored === 'en' ? 'en' : 'da',
  fallbackLng: 'da',
  interpolation: { escapeValue: false },
});

function syncDocument(lng: string) {
  document.documentElement.lang = lng;
  z.config(lng === 'en' ? z.locales.en() : z.locales.da());
}
syncDocument(i18n.language);
i18n.on('languageChanged', (lng) => {
  localStorage.setItem('retning.lang', lng);
  syncDocument(lng);
});

/** The message for an API error, in the current language. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const seconds = Number(err.body.retryAfterSeconds ?? 0);
    // Domain rules answer with a Danish title; shown as is in Danish, a generic message in English.
    const title = typeof err.body.title === 'string' && i18n.language === 'da' ? err.body.title : null;
    return i18n.t(`errors.codes.${err.code}`, {
      seconds,
      defaultValue: title ?? i18n.t('errors.codes.unknown'),
    });
  }
  return i18n.t('errors.codes.unknown');
}

/** A field error, in the current language: by field first, then by the kind of problem. */
export function fieldMessage(field: string, code?: string): string {
  const leaf = field.split('.').pop() ?? field;
  if (code === 'too_small' && leaf !== 'password') return i18n.t('errors.required');
  if (code === 'control_characters') return i18n.t('errors.controlCharacters');
  return i18n.t(`errors.fields.${leaf}`, { defaultValue: i18n.t('errors.invalid') });
}

export { i18n };
