import type { QuestionnaireDefinition, SurveyRole } from '../../../shared/survey';

export interface RoundSummary {
  id: string;
  title: string;
  status: 'open' | 'closed';
  opensOn: string;
  closesOn: string;
  closedAt: string | null;
  own: boolean;
}

export interface QuestionnaireSummary {
  id: string;
  key: string;
  version: number;
  title: string;
  status: 'draft' | 'frozen';
  copiedFrom: string | null;
}

export interface Questionnaire extends QuestionnaireSummary {
  definition: QuestionnaireDefinition;
  rowVersion: number;
}

export interface RoundDetail {
  id: string;
  title: string;
  status: 'open' | 'closed';
  opensOn: string;
  closesOn: string;
  version: number;
  own: boolean;
  questionnaire: { id: string | null; key: string; version: number; title: string } | null;
  progress: {
    code: string;
    name: string;
    hasContact: boolean;
    links: number;
    submitted: number;
    byRole: { role: SurveyRole; links: number; draft: number; submitted: number }[];
  }[];
}

export interface DirectorLink {
  code: string;
  name: string;
  url: string;
  mailed: boolean;
}
