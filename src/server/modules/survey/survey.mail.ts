import { SURVEY_ROLE_LABELS, type SurveyRole } from '../../../shared/survey';
import { directorUrl, respondentUrl } from './survey.tokens';

/** The survey's mails, plain text in Danish. The link's token is after '#' (docs/survey-formats.md). */

/** The mail that brings a municipality's director the link to hand out role links. */
export function directorMail(
  publicUrl: string,
  round: { title: string; closesOn: string },
  name: string,
  token: string,
) {
  return {
    kind: 'survey_director',
    subject: `Spørgeskema: ${round.title}`,
    text: [
      `Kære direktør for socialpsykiatrien i ${name}`,
      '',
      `${round.title} er åben til og med ${round.closesOn}.`,
      'Via linket nedenfor sender du et personligt link videre til hver af de fem roller i kommunen',
      '(udvalgsformand, direktør, centerchef, myndighedschef, driftschef). Linket kræver ikke login.',
      '',
      directorUrl(publicUrl, token),
      '',
      'Besvarelserne er anonyme: der vises aldrig resultater for grupper på under 3 besvarelser.',
    ].join('\n'),
  };
}

export function respondentMail(
  publicUrl: string,
  round: { title: string; closesOn: string },
  name: string,
  role: SurveyRole,
  token: string,
  reminder: boolean,
) {
  return {
    kind: reminder ? 'survey_reminder' : 'survey_link',
    subject: `${reminder ? 'Påmindelse: ' : ''}Spørgeskema: ${round.title}`,
    text: [
      reminder
        ? 'Vi mangler stadig dit svar.'
        : `Du er inviteret til at svare som ${SURVEY_ROLE_LABELS[role].toLowerCase()} i ${name}.`,
      '',
      `Svarfrist: ${round.closesOn}. Du kan gemme en kladde og fortsætte senere via samme link:`,
      respondentUrl(publicUrl, token),
      '',
      'Dine svar gemmes uden dit navn og din e-mail, og der vises aldrig resultater for grupper på under 3.',
    ].join('\n'),
  };
}
