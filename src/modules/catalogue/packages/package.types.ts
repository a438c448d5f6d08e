// The shapes a SCORM 1.2, SCORM 2004 or cmi5 package is read into. Pure data: the catalogue stores them, the
// player launches from them; nothing here touches a database or the network.

import { Invalid } from '../../../platform/errors.js';

export type PackageKind = 'scorm12' | 'scorm2004' | 'cmi5';

/** One file of a package: its path relative to the package root (no leading ./ or /), and its bytes. */
export interface PackageFile {
  path: string;
  contentType: string;
  content: Uint8Array;
}

export interface ScormItem {
  identifier: string;
  title: string;
  /**
   * The resource href as a URL reference relative to the package root (xml:base applied, percent-escapes as the
   * manifest wrote them) or an absolute URL, with the item's parameters appended; absent for an aggregation
   * (cluster). `filePath(launch)` (scorm.manifest.ts) gives the package file it names.
   */
  launch?: string;
  scormType?: 'sco' | 'asset';
  /** The identifier of the resource the item launches. */
  resourceId?: string;
  /** SCORM 1.2 adlcp:masteryscore, 0..100. */
  masteryScore?: number;
  /** SCORM 1.2 adlcp:prerequisites expression (aicc_script). */
  prerequisites?: string;
  dataFromLms?: string;
  /** SCORM 2004: the progress measure (0..1) at which the SCO counts as completed. */
  completionThreshold?: number;
  /** SCORM 1.2 adlcp:maxtimeallowed / SCORM 2004 imsss:limitConditions attemptAbsoluteDurationLimit. */
  maxTimeAllowed?: string;
  timeLimitAction?: string;
  isVisible: boolean;
  children: ScormItem[];
  sequencing?: ScormSequencing;
}

export type PreconditionAction = 'skip' | 'disabled' | 'hiddenFromChoice' | 'stopForwardTraversal';
export type ExitAction = 'exit';
export type PostconditionAction = 'exitParent' | 'exitAll' | 'retry' | 'retryAll' | 'continue' | 'previous';

export interface SequencingCondition {
  /** satisfied, completed, attempted, objectiveStatusKnown, objectiveMeasureKnown, objectiveMeasureGreaterThan, always, … */
  condition: string;
  referencedObjective?: string;
  /** For objectiveMeasureGreaterThan / objectiveMeasureLessThan. */
  measureThreshold?: number;
  /** operator="not" */
  negate: boolean;
}

export interface SequencingRule<A extends string> {
  action: A;
  combination: 'all' | 'any';
  conditions: SequencingCondition[];
}

export interface SequencingObjective {
  id: string;
  primary: boolean;
  satisfiedByMeasure: boolean;
  minNormalizedMeasure?: number;
  globalMapInfo: {
    targetObjectiveId: string;
    readSatisfiedStatus: boolean;
    writeSatisfiedStatus: boolean;
    readNormalizedMeasure: boolean;
    writeNormalizedMeasure: boolean;
  }[];
}

/** The IMS Simple Sequencing of one activity (SCORM 2004), with the defaults of the schema filled in. */
export interface ScormSequencing {
  controlMode: { choice: boolean; choiceExit: boolean; flow: boolean; forwardOnly: boolean };
  preconditionRules: SequencingRule<PreconditionAction>[];
  exitConditionRules: SequencingRule<ExitAction>[];
  postconditionRules: SequencingRule<PostconditionAction>[];
  objectives: SequencingObjective[];
  attemptLimit?: number;
  deliveryControls: { tracked: boolean; completionSetByContent: boolean; objectiveSetByContent: boolean };
}

export interface ScormStructure {
  kind: 'scorm12' | 'scorm2004';
  identifier: string;
  title: string;
  schemaVersion?: string;
  organisation: {
    identifier: string;
    title: string;
    items: ScormItem[];
    sequencing?: ScormSequencing;
    /** adlseq:objectivesGlobalToSystem (SCORM 2004; default true). */
    objectivesGlobalToSystem: boolean;
  };
}

export type Cmi5MoveOn = 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed' | 'NotApplicable';

export interface Cmi5Au {
  id: string;
  title: string;
  description: string;
  /** Absolute, or relative to the package root. */
  url: string;
  launchMethod: 'AnyWindow' | 'OwnWindow';
  moveOn: Cmi5MoveOn;
  masteryScore?: number;
  launchParameters?: string;
  entitlementKey?: string;
  activityType?: string;
}

export interface Cmi5Block {
  id: string;
  title: string;
  description: string;
  children: (Cmi5Block | Cmi5Au)[];
}

export interface Cmi5Structure {
  kind: 'cmi5';
  course: { id: string; title: string; description: string };
  children: (Cmi5Block | Cmi5Au)[];
  /** Every AU, in course order. */
  aus: Cmi5Au[];
}

export type PackageStructure = ScormStructure | Cmi5Structure;

export interface ParsedPackage {
  kind: PackageKind;
  title: string;
  description: string;
  structure: PackageStructure;
  files: PackageFile[];
}

/** True for an AU (it has a url), false for a block. */
export function isCmi5Au(node: Cmi5Block | Cmi5Au): node is Cmi5Au {
  return 'url' in node;
}

/**
 * A package (or a bare cmi5.xml) that cannot be used. The message is a one-line summary; `problems` lists every
 * problem found, each naming where, and `details` carries them as problem1, problem2, … for the API's error body.
 */
export class PackageInvalid extends Invalid {
  readonly problems: string[];

  constructor(summary: string, problems: string[]) {
    const list = problems.length > 0 ? problems : [summary];
    super(summary, Object.fromEntries(list.map((p, i) => [`problem${i + 1}`, p])));
    this.name = 'PackageInvalid';
    this.problems = list;
  }
}

/** Throws PackageInvalid summarising the problems, if there are any. */
export function refuseIfProblems(what: string, problems: string[]): void {
  if (problems.length === 0) return;
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  throw new PackageInvalid(`The ${what} cannot be used: ${count} found.`, problems);
}
