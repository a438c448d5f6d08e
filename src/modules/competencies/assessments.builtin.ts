// Tessera's built-in self-assessment tools, defined from the built-in frameworks so that every question is bound to
// a framework item. Seeded on start (assessments.seed.ts); organisational tools add theirs to BUILTIN_TOOLS.

import { digitalCapabilityFramework } from './builtin/digital-capability.framework.js';
import type { BuiltinFramework } from './builtin/builtin.types.js';
import type { QuestionGroup, ToolDefinition } from './assessments.types.js';
import { builtinIdentifier } from './frameworks.seed.js';
import { knowledgeMobilisationTool, telMaturityTool } from './org-assessments.tools.js';

/** A tool Tessera ships: its framework and how its questions come from it. */
export interface BuiltinTool {
  key: string;
  respondent: 'person' | 'organisation';
  title: string;
  description: string;
  framework: BuiltinFramework;
  paging: 'question' | 'group';
  definition: ToolDefinition;
}

// Capabilities that only apply to staff who use clinical or care record systems.
const CLINICAL_SYSTEM_CAPABILITIES = new Set(['4.1', '4.5']);

function digitalSkillsDefinition(framework: BuiltinFramework): ToolDefinition {
  const groups: QuestionGroup[] = framework.items.map((domain) => {
    const questions: QuestionGroup['questions'] = [];
    if (domain.key === '4') {
      questions.push({
        key: 'uses-clinical-systems',
        kind: 'choice',
        text: 'Does your role involve using clinical or care record systems?',
        hint: 'For example electronic patient records, test ordering and results, or electronic prescribing.',
        options: [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ],
      });
    }
    for (const capability of domain.children ?? []) {
      questions.push({
        key: `dcf-${capability.key}`,
        kind: 'scale',
        itemIdentifier: builtinIdentifier(framework.key, capability.key),
        text: capability.abbreviated ?? capability.statement,
        hint: capability.statement,
        ...(CLINICAL_SYSTEM_CAPABILITIES.has(capability.key)
          ? { showIf: { question: 'uses-clinical-systems', equals: 'yes' } }
          : {}),
      });
    }
    questions.push({
      key: `reflection-${domain.key}`,
      kind: 'text',
      text: `Anything you want to note about ${domain.statement.toLowerCase()} (optional)`,
      hint: 'For example what you would like to get better at, or what has helped you. Only you see this.',
      optional: true,
      maxLength: 2000,
    });
    return {
      key: `domain-${domain.key}`,
      title: domain.statement,
      itemIdentifier: builtinIdentifier(framework.key, domain.key),
      ...(domain.notes === undefined ? {} : { intro: domain.notes }),
      questions,
    };
  });
  return {
    scale: [
      { value: 0, label: 'Not yet', hint: 'I have not done this yet, or I need help to start.' },
      ...framework.levels.map((level) => ({ value: level.level, label: level.label, hint: level.description })),
    ],
    groups,
  };
}

export const digitalSkillsTool: BuiltinTool = {
  key: 'digital-skills',
  respondent: 'person',
  title: 'Digital skills self-assessment',
  description:
    'Rate yourself against the six domains of the health and care digital capability framework, see where you ' +
    'stand and what to learn next. It takes about 15 minutes; you can stop and carry on later. Your answers are ' +
    'yours: your organisation sees them only as part of totals, and only if you agree.',
  framework: digitalCapabilityFramework,
  paging: 'group',
  definition: digitalSkillsDefinition(digitalCapabilityFramework),
};

export const BUILTIN_TOOLS: readonly BuiltinTool[] = [digitalSkillsTool, knowledgeMobilisationTool, telMaturityTool];
