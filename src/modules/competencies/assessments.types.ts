// The self-assessment engine's vocabulary: a tool's definition (scale, groups, questions with conditions), the
// answers a respondent gives, and the results computed from them.

/** One point of the answer scale; value is a level of the framework's scale (0: not yet at any level). */
export interface ScalePoint {
  value: number;
  label: string;
  hint?: string;
}

/** Show a question only when an earlier answer says so. */
export interface Condition {
  question: string;
  /** A choice question's answer equals this value. */
  equals?: string;
  /** A scale question's answer is at least / at most this value. */
  atLeast?: number;
  atMost?: number;
}

interface QuestionBase {
  /** Unique within the tool; the form field and the answer's key. */
  key: string;
  text: string;
  hint?: string;
  /** May be left unanswered. */
  optional?: boolean;
  showIf?: Condition;
}

/** Where the respondent stands on a framework item, on the tool's scale. */
export interface ScaleQuestion extends QuestionBase {
  kind: 'scale';
  itemIdentifier: string;
}

/** Free text, e.g. a reflection. */
export interface TextQuestion extends QuestionBase {
  kind: 'text';
  maxLength: number;
}

/** One of a few options, e.g. yes or no; often what a condition reads. */
export interface ChoiceQuestion extends QuestionBase {
  kind: 'choice';
  options: { value: string; label: string }[];
}

export type Question = ScaleQuestion | TextQuestion | ChoiceQuestion;

/** A group of questions: a domain of the framework, usually. */
export interface QuestionGroup {
  key: string;
  title: string;
  /** The framework item the group stands for (a domain), for results per domain. */
  itemIdentifier?: string;
  intro?: string;
  questions: Question[];
}

export interface ToolDefinition {
  scale: ScalePoint[];
  groups: QuestionGroup[];
}

/** What a respondent answered: a scale value, a choice value or text, by question key. */
export type Answers = Record<string, number | string>;

/** Results per group (the group's mean level over its answered scale questions) and per item. */
export interface AssessmentResults {
  groups: {
    key: string;
    title: string;
    itemIdentifier: string | null;
    /** Mean of the group's answered scale questions, to one decimal place; null when none was answered. */
    level: number | null;
    answered: number;
  }[];
  /** The level given for each framework item asked about. */
  items: Record<string, number>;
}
