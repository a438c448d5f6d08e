// The organisational self-assessments Tessera ships, answered by an organisation's admins on the same engine as a
// person's self-assessment: one page per domain of the framework, a maturity rating for each capability and an
// optional note of the evidence behind the ratings.

import type { BuiltinTool } from './assessments.builtin.js';
import type { QuestionGroup, ToolDefinition } from './assessments.types.js';
import type { BuiltinFramework } from './builtin/builtin.types.js';
import { knowledgeMobilisationFramework } from './builtin/knowledge-mobilisation.framework.js';
import { telMaturityFramework } from './builtin/tel-maturity.framework.js';
import { builtinIdentifier } from './frameworks.seed.js';

/** The longest evidence note kept per domain. */
export const NOTES_MAX_LENGTH = 2000;

/** The question key of a capability's rating: "km-2-3" (hyphens only, so it is a safe HTML id and CSS selector). */
export function ratingKey(prefix: string, capabilityKey: string): string {
  return `${prefix}-${capabilityKey.replace(/\./g, '-')}`;
}

/** The question key of a domain's evidence note. */
export function notesKey(prefix: string, domainKey: string): string {
  return `${prefix}-notes-${domainKey}`;
}

/**
 * A maturity definition from a framework: the scale is "Not started" (0) then the framework's levels with their
 * descriptions as hints; one group per domain, rating each of its capabilities, with an optional notes question.
 */
export function maturityDefinition(framework: BuiltinFramework, prefix: string): ToolDefinition {
  const groups: QuestionGroup[] = framework.items.map((domain) => ({
    key: `domain-${domain.key}`,
    title: domain.statement,
    itemIdentifier: builtinIdentifier(framework.key, domain.key),
    ...(domain.notes === undefined ? {} : { intro: domain.notes }),
    questions: [
      ...(domain.children ?? []).map((capability) => ({
        key: ratingKey(prefix, capability.key),
        kind: 'scale' as const,
        itemIdentifier: builtinIdentifier(framework.key, capability.key),
        text: capability.abbreviated ?? capability.statement,
        hint: capability.statement,
      })),
      {
        key: notesKey(prefix, domain.key),
        kind: 'text' as const,
        text: `Evidence and notes for ${domain.statement.toLowerCase()} (optional)`,
        hint:
          'What your ratings rest on, for example a strategy, a report, an audit or a board paper. ' +
          'Your organisation’s admins can see this; it is never shown to other organisations.',
        optional: true,
        maxLength: NOTES_MAX_LENGTH,
      },
    ],
  }));
  return {
    scale: [
      { value: 0, label: 'Not started', hint: 'Nothing is in place for this yet.' },
      ...framework.levels.map((level) => ({ value: level.level, label: level.label, hint: level.description })),
    ],
    groups,
  };
}

export const knowledgeMobilisationTool: BuiltinTool = {
  key: 'knowledge-mobilisation',
  respondent: 'organisation',
  title: 'Knowledge mobilisation self-assessment',
  description:
    'How well your organisation finds, shares and uses evidence and organisational knowledge, across six domains ' +
    'from leadership to partnerships. Rate each capability on a maturity scale, note your evidence, then keep an ' +
    'action plan. Best answered together, for example with your library and knowledge service and a senior sponsor.',
  framework: knowledgeMobilisationFramework,
  paging: 'group',
  definition: maturityDefinition(knowledgeMobilisationFramework, 'km'),
};

export const telMaturityTool: BuiltinTool = {
  key: 'tel-maturity',
  respondent: 'organisation',
  title: 'Technology-enhanced learning readiness and maturity assessment',
  description:
    'How ready your organisation is to use technology for learning, and how mature that use is, across six ' +
    'domains from strategy and infrastructure to learner support and evaluation. Rate each capability on a ' +
    'maturity scale, note your evidence, then keep an action plan.',
  framework: telMaturityFramework,
  paging: 'group',
  definition: maturityDefinition(telMaturityFramework, 'tel'),
};
