// The xAPI 1.0.3 statement data model (Data part, section 2.4), as the validator promises it after checking.
// Property names follow the specification exactly, including mbox_sha1sum.

/** RFC 5646 language tag → text in that language (Data 4.2). */
export type XapiLanguageMap = Record<string, string>;

/** IRI → any JSON value (Data 4.1). */
export type XapiExtensions = Record<string, unknown>;

export interface XapiAccount {
  homePage: string;
  name: string;
}

/** The four inverse functional identifiers; an Agent has exactly one, an identified Group too (Data 2.4.2.3). */
export interface XapiIdentifiers {
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: XapiAccount;
}

export interface XapiAgent extends XapiIdentifiers {
  objectType?: 'Agent';
  name?: string;
}

export interface XapiGroup extends XapiIdentifiers {
  objectType: 'Group';
  name?: string;
  member?: XapiAgent[];
}

export type XapiActor = XapiAgent | XapiGroup;

export interface XapiVerb {
  id: string;
  display?: XapiLanguageMap;
}

export const INTERACTION_TYPES = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
] as const;

export type XapiInteractionType = (typeof INTERACTION_TYPES)[number];

export interface XapiInteractionComponent {
  id: string;
  description?: XapiLanguageMap;
}

export interface XapiActivityDefinition {
  name?: XapiLanguageMap;
  description?: XapiLanguageMap;
  type?: string;
  moreInfo?: string;
  extensions?: XapiExtensions;
  interactionType?: XapiInteractionType;
  correctResponsesPattern?: string[];
  choices?: XapiInteractionComponent[];
  scale?: XapiInteractionComponent[];
  source?: XapiInteractionComponent[];
  target?: XapiInteractionComponent[];
  steps?: XapiInteractionComponent[];
}

export interface XapiActivity {
  objectType?: 'Activity';
  id: string;
  definition?: XapiActivityDefinition;
}

export interface XapiStatementRef {
  objectType: 'StatementRef';
  id: string;
}

export interface XapiScore {
  scaled?: number;
  raw?: number;
  min?: number;
  max?: number;
}

export interface XapiResult {
  score?: XapiScore;
  success?: boolean;
  completion?: boolean;
  response?: string;
  duration?: string;
  extensions?: XapiExtensions;
}

/** Always arrays once validated: single Activity objects are wrapped (Data 2.4.6.2). */
export interface XapiContextActivities {
  parent?: XapiActivity[];
  grouping?: XapiActivity[];
  category?: XapiActivity[];
  other?: XapiActivity[];
}

export interface XapiContext {
  registration?: string;
  instructor?: XapiActor;
  team?: XapiGroup;
  contextActivities?: XapiContextActivities;
  revision?: string;
  platform?: string;
  language?: string;
  statement?: XapiStatementRef;
  extensions?: XapiExtensions;
}

export interface XapiAttachment {
  usageType: string;
  display: XapiLanguageMap;
  description?: XapiLanguageMap;
  contentType: string;
  length: number;
  sha2: string;
  fileUrl?: string;
}

/** An Agent or Group used as an object must say which it is (Data 2.4.4.2). */
export type XapiAgentObject = XapiAgent & { objectType: 'Agent' };

export interface XapiSubStatement {
  objectType: 'SubStatement';
  actor: XapiActor;
  verb: XapiVerb;
  object: XapiActivity | XapiAgentObject | XapiGroup | XapiStatementRef;
  result?: XapiResult;
  context?: XapiContext;
  timestamp?: string;
  attachments?: XapiAttachment[];
}

export type XapiStatementObject = XapiActivity | XapiAgentObject | XapiGroup | XapiStatementRef | XapiSubStatement;

export interface XapiStatement {
  id?: string;
  actor: XapiActor;
  verb: XapiVerb;
  object: XapiStatementObject;
  result?: XapiResult;
  context?: XapiContext;
  timestamp?: string;
  stored?: string;
  authority?: XapiActor;
  version?: string;
  attachments?: XapiAttachment[];
}

/** The reserved Verb that voids another Statement (Data 2.3.2). */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';
